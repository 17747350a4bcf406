import { ApiException, requestLogFields } from '@app/http';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthenticatedClient } from './authenticated-client';
import { TokenVerifier } from './token-verifier';

export const BEARER_STRATEGY = 'bearer';

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

/** Reads `Authorization: Bearer <jwt>` (the header only, never the query string) and verifies it. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  async validate(request: FastifyRequest): Promise<AuthenticatedClient> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw ApiException.missingBearer();
    let client: AuthenticatedClient;
    try {
      client = await this.verifier.verify(match[1]);
    } catch {
      throw ApiException.invalidToken();
    }
    requestLogFields(request.raw).clientId = client.clientId;
    return client;
  }
}
