import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who called: the client a verified token was issued to, and the scopes it grants. */
export interface AuthenticatedClient {
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
}

/** Injects the authenticated client of the request into a handler parameter. */
export const CurrentClient = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedClient =>
    context.switchToHttp().getRequest<{ user: AuthenticatedClient }>().user,
);
