/**
 * A scope, as `resource:action` (`job:read`, `encounter:write`). Each library declares its own
 * scopes in an `as const` object beside its routes; a route requires them with `@Scopes(...)`, and
 * a token grants them in its `scope` (RFC 9068) or `scp` claim.
 */
export type Scope = `${string}:${string}`;
