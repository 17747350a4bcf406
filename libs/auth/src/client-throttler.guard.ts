import { AppConfig } from '@app/config';
import { ApiException, ERROR_MESSAGES } from '@app/http';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { AuthenticatedClient } from './authenticated-client';
import { SlidingWindowStorage } from './sliding-window.storage';

const MINUTE_MS = 60_000;

const isRead = (context: ExecutionContext): boolean =>
  ['GET', 'HEAD'].includes(context.switchToHttp().getRequest<{ method: string }>().method);

/**
 * Two budgets per client and minute, across all routes: submissions (writes) and polling (reads).
 * Counted in memory, per process.
 */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    setHeaders: false,
    storage: new SlidingWindowStorage(),
    throttlers: [
      {
        name: 'submit',
        ttl: MINUTE_MS,
        limit: config.operations.submitPerMinute,
        skipIf: isRead,
      },
      {
        name: 'poll',
        ttl: MINUTE_MS,
        limit: config.operations.pollPerMinute,
        skipIf: (context) => !isRead(context),
      },
    ],
  };
}

/**
 * Rate limits per authenticated client (after authentication, so one client cannot spend another's
 * budget): 429 `too_many_requests` with `Retry-After` in the envelope once over.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const client = request.user as AuthenticatedClient | undefined;
    return client ? `client:${client.clientId}` : `ip:${String(request.ip)}`;
  }

  /** One budget per client and throttler, whichever route spends it. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new ApiException('too_many_requests', ERROR_MESSAGES.tooManyRequests, undefined, {
      'retry-after': String(Math.max(1, detail.timeToBlockExpire)),
    });
  }
}
