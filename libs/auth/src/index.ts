export { AuthModule } from './auth.module';
export type { Scope } from './scopes';
export { Scopes } from './scopes.decorator';
export { Public, routeAccess } from './access-metadata';
export type { RouteAccess } from './access-metadata';
export { CurrentClient } from './authenticated-client';
export type { AuthenticatedClient } from './authenticated-client';
export { mintToken } from './token-minter';
export type { TokenRequest } from './token-minter';
