import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BearerStrategy } from './bearer.strategy';
import { ScopesGuard } from './scopes.guard';
import { TokenVerifier } from './token-verifier';

/** Bearer-token authentication and scope checks; import it in every module whose routes use `@Scopes`. */
@Module({
  imports: [PassportModule],
  providers: [TokenVerifier, BearerStrategy, BearerAuthGuard, ScopesGuard],
  exports: [TokenVerifier, BearerAuthGuard, ScopesGuard],
})
export class AuthModule {}
