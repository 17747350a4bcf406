import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ErrorType } from './error-type';

/** The types of the envelope every answer is wrapped in; the OpenAPI document's schemas too. */

/** Where a failing input is: the body, the query string, a header, or the request as a whole. */
export type EntryType = 'json_data_property' | 'query_parameter' | 'header' | 'request';

export type RuleParams = unknown[] | Record<string, unknown>;

/** Sent with every JSON answer, success or error. */
export class Meta {
  /**
   * The HTTP status of this response.
   * @example 200
   */
  @ApiProperty({ type: 'integer', minimum: 100, maximum: 599 })
  code: number;

  /**
   * `scheme://host[:port]/path` of the request, without the query string.
   * @example "http://localhost:3000/api/jobs/NBXk9EyErUZv1RhXgyvgg"
   */
  @ApiProperty({ format: 'uri' })
  url: string;

  /** `list` when `data` is an array, else `object`. */
  type: 'object' | 'list';

  /**
   * The caller's `x-request-id` when it is 20 to 200 visible ASCII characters, otherwise a new one;
   * also sent back in the `x-request-id` response header.
   * @example "1b9e0c52-2f5b-4a86-9d4e-0f8a3e5f4c21"
   */
  request_id: string;
}

/** One rule a failing input broke. */
export class InvalidRule {
  /**
   * `required`, `cast`, `inclusion`, `format`, `length`, `number`, `date`, `datetime`, `email`,
   * `unique`, `schema` (unknown property), `invalid` (a business rule), or `json` (corrupted JSON).
   * @example "required"
   */
  rule: string;

  /** The rule's parameters: a list (`["string"]`, the allowed values) or an object (`{"min": 1}`). */
  @ApiProperty({
    oneOf: [
      { type: 'array', items: {} },
      { type: 'object', additionalProperties: true },
    ],
    example: [],
  })
  params?: RuleParams;

  /**
   * A readable sentence.
   * @example "required property start was not present"
   */
  description?: string;
}

/** One failing input of a `validation_failed` error. */
export class InvalidEntry {
  /**
   * `json_data_property` for the body, `query_parameter` for the query string, `header` for a
   * header, `request` for the request as a whole (corrupted JSON).
   */
  entry_type: EntryType;

  /**
   * A JSONPath from the body's root (`$.a.b`, array items as `$.items.[0].code`), or the bare name
   * of a query parameter or header.
   * @example "$.encounter.period.start"
   */
  entry?: string;

  @ApiProperty({ minItems: 1 })
  rules: InvalidRule[];
}

/** The `error` of an error answer, and the stored error of a failed job. */
@ApiSchema({ name: 'Error' })
export class ErrorBody {
  /** What went wrong, one of the contract's error types. */
  type: ErrorType;

  /**
   * A sentence safe to show; never a stack trace or SQL.
   * @example "The requested resource was not found."
   */
  message: string;

  /** Every failing input (`validation_failed`), or the corrupted body (`request_malformed`). */
  invalid?: InvalidEntry[];
}

/** Every answer with status 400 to 599. */
export class ErrorEnvelope {
  error: ErrorBody;
  meta: Meta;
}

/** Every answer with status 200, 202 or 303: `data` is what the route answers. */
export interface SuccessEnvelope<T = unknown> {
  data: T;
  meta: Meta;
}
