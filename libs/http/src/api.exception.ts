import { HttpException } from '@nestjs/common';
import { ERROR_MESSAGES, ERROR_STATUS, ErrorType, missingScopesMessage } from './error-type';
import { ErrorBody, InvalidEntry } from './envelope.schema';

/**
 * An error the service answers on purpose: its type is one of the contract's, its message is safe to
 * show. The shared filter renders it as is; anything else becomes a generic 500.
 */
export class ApiException extends HttpException {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly invalid?: InvalidEntry[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message, ERROR_STATUS[type]);
  }

  toErrorBody(): ErrorBody {
    return this.invalid
      ? { type: this.type, message: this.message, invalid: this.invalid }
      : { type: this.type, message: this.message };
  }

  static notFound(message: string = ERROR_MESSAGES.notFound): ApiException {
    return new ApiException('not_found', message);
  }

  static missingBearer(): ApiException {
    return new ApiException('access_denied', ERROR_MESSAGES.missingBearer);
  }

  static invalidToken(): ApiException {
    return new ApiException('access_denied', ERROR_MESSAGES.invalidToken);
  }

  static missingScopes(missing: readonly string[]): ApiException {
    return new ApiException('forbidden', missingScopesMessage(missing));
  }

  static validationFailed(invalid: InvalidEntry[]): ApiException {
    return new ApiException('validation_failed', ERROR_MESSAGES.validationFailed, invalid);
  }

  static conflict(message: string = ERROR_MESSAGES.conflict): ApiException {
    return new ApiException('request_conflict', message);
  }
}
