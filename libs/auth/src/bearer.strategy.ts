import { ApiException, ERROR_MESSAGES } from '@app/http';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthenticatedClient } from './authenticated-client';
import { KeyServerUnavailableError } from './remote-key-set';
import { TokenVerifier } from './token-verifier';
import { VerifiedTokens } from './verified-tokens';

export const BEARER_STRATEGY = 'bearer';

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

/**
 * Reads `Authorization: Bearer <jwt>` (the header only, never the query string) and verifies it,
 * or finds it among the tokens verified in the last minute.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  private readonly verified = new VerifiedTokens();

  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  async validate(request: FastifyRequest): Promise<AuthenticatedClient> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw ApiException.missingBearer();
    const token = match[1];
    let client = this.verified.get(token);
    if (!client) {
      try {
        client = await this.verifier.verify(token);
      } catch (error) {
        // The token may well be good: its key cannot be fetched for now.
        if (error instanceof KeyServerUnavailableError) {
          throw new ApiException('service_unavailable', ERROR_MESSAGES.unavailable, undefined, {
            'retry-after': '5',
          });
        }
        throw ApiException.invalidToken();
      }
      this.verified.remember(token, client);
    }
    return client;
  }
}
