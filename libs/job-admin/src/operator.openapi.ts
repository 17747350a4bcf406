import {
  ApiErrorResponse,
  ApiPagedResponse,
  errorExample,
  REQUEST_ID_RESPONSE_HEADER,
  successEnvelopeSchema,
} from '@app/http';
import { JOB_NOT_FOUND } from '@app/jobs';
import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import * as views from './dto/operator-views.schema';
import { JOB_TYPE_NOT_FOUND } from './job-admin.service';

const MODELS = [
  views.RunDurations,
  views.JobTypeQueue,
  views.LiveWorker,
  views.QueuesOverview,
  views.OperatorJob,
  views.StoredData,
  views.JobAttemptView,
  views.OperatorJobDetail,
  views.JobTypePauseState,
  views.OperatorActionEntry,
];

export const EXAMPLE_OPERATOR_JOB_ID = 'NBXk9EyErUZv1RhXgyvgg';
export const EXAMPLE_JOB_TYPE = 'encounter_package.create';

/** A `200` of an operator route with `data` of this model (a page of them when `list`). */
export function ApiOperatorAnswer(model: Type<unknown>, list = false): MethodDecorator {
  if (list) {
    return applyDecorators(
      ApiExtraModels(...MODELS),
      ApiPagedResponse(model, 'One page, newest first, with `paging`.'),
    );
  }
  return applyDecorators(
    ApiExtraModels(...MODELS),
    ApiOkResponse({
      description: 'The answer.',
      schema: successEnvelopeSchema(model),
      headers: REQUEST_ID_RESPONSE_HEADER,
    }),
  );
}

/** The `{id}` of a job, of any client. */
export const ApiOperatorJobId = () =>
  applyDecorators(
    ApiParam({
      name: 'id',
      description: 'The job id. Any other value answers 404.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{21}$', example: EXAMPLE_OPERATOR_JOB_ID },
    }),
    ApiErrorResponse(404, {
      description: 'not_found: no job has this id.',
      examples: { not_found: errorExample('Unknown job', 404, 'not_found', JOB_NOT_FOUND) },
    }),
  );

/** The `{type}` of a job type this service has a handler for. */
export const ApiJobTypeParam = () =>
  applyDecorators(
    ApiParam({
      name: 'type',
      description: 'A job type this service has a handler for. Any other value answers 404.',
      schema: { type: 'string', maxLength: 100, example: EXAMPLE_JOB_TYPE },
    }),
    ApiErrorResponse(404, {
      description: 'not_found: no handler runs jobs of this type.',
      examples: { not_found: errorExample('Unknown type', 404, 'not_found', JOB_TYPE_NOT_FOUND) },
    }),
  );

/** The 409 of an action the target's state does not allow. */
export const ApiActionConflict = (description: string, message: string) =>
  ApiErrorResponse(409, {
    description,
    examples: {
      request_conflict: errorExample('Not in that state', 409, 'request_conflict', message),
    },
  });
