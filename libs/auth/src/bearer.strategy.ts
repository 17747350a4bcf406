import { ApiException, ERROR_MESSAGES } from '@app/http';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthenticatedClient } from './authenticated-client';
import { KeyServerUnavailableError } from './remote-key-set';
import { InvalidTokenError, TokenVerifier } from './token-verifier';
import { REFUSED, VerifiedTokens } from './verified-tokens';

export const BEARER_STRATEGY = 'bearer';

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

/** The two refusals are the same every time: one instance each, no stack captured per request. */
const MISSING_BEARER = ApiException.missingBearer();
const INVALID_TOKEN = ApiException.invalidToken();

/**
 * Reads `Authorization: Bearer <jwt>` (the header only, never the query string) and verifies it,
 * or finds it among the tokens verified, or refused, in the last minute.
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
    if (!match) throw MISSING_BEARER;
    const token = match[1];
    const known = this.verified.get(token);
    if (known === REFUSED) throw INVALID_TOKEN;
    if (known) return known;
    let client: AuthenticatedClient;
    try {
      client = await this.verifier.verify(token);
    } catch (error) {
      // The token may well be good: its key cannot be fetched for now.
      if (error instanceof KeyServerUnavailableError) {
        throw new ApiException('service_unavailable', ERROR_MESSAGES.unavailable, undefined, {
          'retry-after': '5',
        });
      }
      if (error instanceof InvalidTokenError && error.lasting) this.verified.refuse(token);
      throw INVALID_TOKEN;
    }
    this.verified.remember(token, client);
    return client;
  }
}
