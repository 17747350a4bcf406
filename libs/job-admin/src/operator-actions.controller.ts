import { Scopes } from '@app/auth';
import { ApiErrorResponse, PagedList } from '@app/http';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorActionQuery } from './dto/operator-queries.dto';
import { OperatorActionEntry } from './dto/operator-views.schema';
import { JobAdminService } from './job-admin.service';
import { ApiOperatorAnswer } from './operator.openapi';
import { JOB_ADMIN_SCOPES } from './scopes';

/** The audit of operator actions (`job:admin`). */
@ApiTags('operators')
@Controller('api/admin/audit')
@Scopes(JOB_ADMIN_SCOPES.admin)
export class OperatorActionsController {
  constructor(private readonly admin: JobAdminService) {}

  /** Every retry, pause and resume: who, what, on which job or type, when; newest first. */
  @Get()
  @ApiOperation({ summary: 'Audit of operator actions' })
  @ApiOperatorAnswer(OperatorActionEntry, true)
  @ApiErrorResponse(422)
  list(@Query() query: OperatorActionQuery): Promise<PagedList<OperatorActionEntry>> {
    return this.admin.auditTrail(query);
  }
}
