import { AuthenticatedClient, AuthModule, CurrentClient, Public, Scopes } from '@app/auth';
import { JOB_SCOPES, JobData, JobsModule, JobsService, renderEnqueued } from '@app/jobs';
import { Body, Controller, Get, Module, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
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
@ApiExcludeController()
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

  @Get('slow')
  async slow(): Promise<{ slept: number }> {
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    return { slept: 2_500 };
  }

  @Get('crash')
  crash(): never {
    throw new Error('relation "jobs" violates constraint at SELECT * FROM secrets');
  }
}

/** A module that creates jobs the way every module does: validate, enqueue, render. */
@ApiExcludeController()
@Controller('api/probe/things')
@Scopes(JOB_SCOPES.read)
class ProbeThingsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  async create(
    @Body() body: ProbeBody,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    const enqueued = await this.jobs.enqueue(
      'test.data',
      { ...body },
      { clientId: client.clientId },
    );
    return renderEnqueued(reply, enqueued);
  }
}

@Module({
  imports: [JobsModule, AuthModule],
  controllers: [ProbeController, ProbeThingsController],
})
export class ProbeModule {}
