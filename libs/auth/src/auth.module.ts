import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BearerStrategy } from './bearer.strategy';
import { ClientRateLimitGuard } from './client-rate-limit.guard';
import { ScopesGuard } from './scopes.guard';
import { SlidingWindowCounters } from './sliding-window-counters';
import { TokenVerifier } from './token-verifier';

/** Bearer-token authentication and scope checks; import it in every module whose routes use `@Scopes`. */
@Module({
  imports: [PassportModule],
  providers: [
    TokenVerifier,
    BearerStrategy,
    BearerAuthGuard,
    ScopesGuard,
    ClientRateLimitGuard,
    // The rate-limit budgets: one per process, whichever module's route spends them.
    { provide: SlidingWindowCounters, useValue: new SlidingWindowCounters() },
  ],
  exports: [
    TokenVerifier,
    BearerAuthGuard,
    ScopesGuard,
    ClientRateLimitGuard,
    SlidingWindowCounters,
  ],
})
export class AuthModule {}
