import { Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { ClientThrottlerGuard, throttlerOptions } from './client-throttler.guard';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BearerStrategy } from './bearer.strategy';
import { ScopesGuard } from './scopes.guard';
import { TokenVerifier } from './token-verifier';

/** Bearer-token authentication and scope checks; import it in every module whose routes use `@Scopes`. */
@Module({
  imports: [
    PassportModule,
    ThrottlerModule.forRootAsync({ inject: [AppConfig], useFactory: throttlerOptions }),
  ],
  providers: [TokenVerifier, BearerStrategy, BearerAuthGuard, ScopesGuard, ClientThrottlerGuard],
  exports: [TokenVerifier, BearerAuthGuard, ScopesGuard, ClientThrottlerGuard, ThrottlerModule],
})
export class AuthModule {}
