import { ApiException } from '@app/http';
import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, RequiredScopes } from './access-metadata';
import { AuthenticatedClient } from './authenticated-client';
import { Scope } from './scopes';
import { ScopesGuard } from './scopes.guard';

/** Scopes beyond the service's own list, to exercise routes that need several. */
const scopes = (...names: string[]): Scope[] => names as Scope[];

@RequiredScopes(scopes('job:read', 'encounter:write'))
class ScopedController {
  inherits(): void {}

  @RequiredScopes(scopes('episode:read'))
  overrides(): void {}

  @Public()
  open(): void {}
}

@Public()
class PublicController {
  inherits(): void {}

  @RequiredScopes(scopes('job:read'))
  guarded(): void {}
}

class UndeclaredController {
  nothing(): void {}
}

function contextFor(
  controller: new () => object,
  method: string,
  user?: AuthenticatedClient,
): ExecutionContext {
  const handler = (controller.prototype as Record<string, () => void>)[method];
  return {
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

const clientWith = (...granted: string[]): AuthenticatedClient => ({
  clientId: 'client-a',
  scopes: new Set(granted),
});

function thrownBy(action: () => unknown): ApiException {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  throw new Error('expected an ApiException');
}

describe('ScopesGuard', () => {
  const guard = new ScopesGuard(new Reflector());

  it('refuses a client with none of the scopes with 403 listing all of them', () => {
    const error = thrownBy(() =>
      guard.canActivate(contextFor(ScopedController, 'inherits', clientWith())),
    );

    expect(error.getStatus()).toBe(403);
    expect(error.type).toBe('forbidden');
    expect(error.message).toBe(
      'Your scope does not allow to access this resource. Missing allowances: job:read, encounter:write',
    );
  });

  it('lists only the scopes the client lacks', () => {
    const context = contextFor(
      ScopedController,
      'inherits',
      clientWith('job:read', 'patient:read'),
    );
    const error = thrownBy(() => guard.canActivate(context));

    expect(error.getStatus()).toBe(403);
    expect(error.message).toBe(
      'Your scope does not allow to access this resource. Missing allowances: encounter:write',
    );
  });

  it('lets a client with every required scope through', () => {
    const context = contextFor(
      ScopedController,
      'inherits',
      clientWith('encounter:write', 'job:read'),
    );

    expect(guard.canActivate(context)).toBe(true);
  });

  it('does not take a scope that merely starts like the required one', () => {
    const context = contextFor(
      PublicController,
      'guarded',
      clientWith('job:reads', 'job:read2', 'job'),
    );

    expect(thrownBy(() => guard.canActivate(context)).getStatus()).toBe(403);
  });

  it('uses the method scopes instead of the class scopes', () => {
    const methodOnly = contextFor(ScopedController, 'overrides', clientWith('episode:read'));
    const classOnly = contextFor(
      ScopedController,
      'overrides',
      clientWith('job:read', 'encounter:write'),
    );

    expect(guard.canActivate(methodOnly)).toBe(true);
    expect(thrownBy(() => guard.canActivate(classOnly)).message).toMatch(
      /Missing allowances: episode:read$/,
    );
  });

  it('lets anyone call a public method of a scoped controller, even without a user', () => {
    expect(guard.canActivate(contextFor(ScopedController, 'open'))).toBe(true);
  });

  it('requires the method scopes on a scoped method of a public controller', () => {
    const error = thrownBy(() =>
      guard.canActivate(contextFor(PublicController, 'guarded', clientWith())),
    );

    expect(error.getStatus()).toBe(403);
    expect(error.message).toMatch(/Missing allowances: job:read$/);
  });

  it('lets anyone call an undecorated method of a public controller', () => {
    expect(guard.canActivate(contextFor(PublicController, 'inherits'))).toBe(true);
  });

  it('answers 401 on a scoped route when no client was authenticated', () => {
    const error = thrownBy(() => guard.canActivate(contextFor(ScopedController, 'inherits')));

    expect(error.getStatus()).toBe(401);
    expect(error.type).toBe('access_denied');
  });

  it('keeps a route that declares nothing closed, even to a client with scopes', () => {
    expect(
      guard.canActivate(contextFor(UndeclaredController, 'nothing', clientWith('job:read'))),
    ).toBe(false);
  });
});
