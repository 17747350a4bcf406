import { Public } from '@app/auth';
import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

class ProbeItem {
  @IsIn(['primary', 'secondary'])
  role: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  rank?: number;
}

class ProbeBody {
  @IsString()
  name: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ProbeItem)
  items: ProbeItem[];
}

class ProbeQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/**
 * Routes that exist only in the end-to-end tests, to drive request bodies, query strings and
 * unexpected crashes through the real pipeline (the service itself has no POST route yet).
 */
@Controller('api/probe')
@Public()
class ProbeController {
  @Post('echo')
  echo(@Body() body: ProbeBody): ProbeBody {
    return body;
  }

  @Get('search')
  search(@Query() query: ProbeQuery): ProbeQuery[] {
    return [query];
  }

  @Get('crash')
  crash(): never {
    throw new Error('relation "jobs" violates constraint at SELECT * FROM secrets');
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
