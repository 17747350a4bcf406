import { AppConfig } from '@app/config';
import { ApiException, ERROR_MESSAGES } from '@app/http';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthenticatedClient } from './authenticated-client';
import { SlidingWindowCounters } from './sliding-window-counters';

const MINUTE_MS = 60_000;

/**
 * Two budgets per client and minute, across all routes: polling (reads) and submissions (writes),
 * counted in memory per process. Over a budget: 429 `too_many_requests` with `Retry-After`. It runs
 * after authentication, so one client cannot spend another's budget.
 *
 * Written here rather than with `@nestjs/throttler`: its guard looks up four pieces of route
 * metadata per throttler and resolves the tracker asynchronously on every request, for per-route
 * limits this service does not have; this is the same rule in a few synchronous steps.
 */
@Injectable()
export class ClientRateLimitGuard implements CanActivate {
  /** One set of counters for the process, shared by the guard of every module. */
  constructor(
    private readonly counters: SlidingWindowCounters,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ method: string; ip: string; user?: AuthenticatedClient }>();
    const read = request.method === 'GET' || request.method === 'HEAD';
    const { pollPerMinute, submitPerMinute } = this.config.operations;
    const who = request.user ? `client:${request.user.clientId}` : `ip:${request.ip}`;
    const spent = this.counters.spend(
      `${read ? 'poll' : 'submit'}:${who}`,
      MINUTE_MS,
      read ? pollPerMinute : submitPerMinute,
    );
    if (!spent.admitted) {
      throw new ApiException('too_many_requests', ERROR_MESSAGES.tooManyRequests, undefined, {
        'retry-after': String(spent.retryAfterSeconds),
      });
    }
    return true;
  }
}
