import { routeAccess } from '@app/auth';
import { loadConfig } from '@app/config';
import { DynamicModule, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { Reflector } from '@nestjs/core';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from './app.module';

type ModuleRef = Type<unknown> | DynamicModule | Promise<DynamicModule>;

const ROOT = join(__dirname, '../../..');
/** Each app or library pins its routes in this file at its root (`libs/jobs/routes.snapshot.json`). */
const SNAPSHOT = 'routes.snapshot.json';
const PIN_COMMAND = 'npm run routes:pin';

/** Every controller reachable from a module, through static and dynamic imports. */
function controllersOf(root: ModuleRef): Type<unknown>[] {
  const seen = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref || ref instanceof Promise || seen.has(ref)) return;
    seen.add(ref);
    const dynamic = 'module' in ref ? ref : undefined;
    const type = dynamic ? dynamic.module : (ref as Type<unknown>);
    const metadata = (key: string): unknown[] =>
      (Reflect.getMetadata(key, type) as unknown[] | undefined) ?? [];
    for (const controller of [
      ...metadata(MODULE_METADATA.CONTROLLERS),
      ...(dynamic?.controllers ?? []),
    ]) {
      controllers.add(controller as Type<unknown>);
    }
    for (const imported of [...metadata(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])]) {
      visit(imported as ModuleRef);
    }
  };
  visit(root);
  return [...controllers];
}

interface Route {
  controller: Type<unknown>;
  name: string;
  handler: (...args: unknown[]) => unknown;
  /** `GET /api/jobs/{id}` */
  key: string;
}

function routesOf(controller: Type<unknown>): Route[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (typeof handler !== 'function') return [];
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (path === undefined || method === undefined) return [];
    const url = `/${[base, path].map((part) => part.replace(/^\/|\/$/g, '')).join('/')}`
      .replace(/\/+$/, '')
      .replace(/:(\w+)/g, '{$1}');
    const key = `${RequestMethod[method]} ${url}`;
    return [{ controller, name, handler: handler as Route['handler'], key }];
  });
}

/**
 * The app or library folder (`libs/jobs`) whose source declares each controller class: its routes
 * are pinned in that folder's snapshot.
 */
function ownerFolders(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const folder of appsAndLibraries()) {
    const files = readdirSync(join(ROOT, folder, 'src'), { recursive: true, encoding: 'utf8' });
    for (const file of files.filter((name) => name.endsWith('.controller.ts'))) {
      const source = readFileSync(join(ROOT, folder, 'src', file), 'utf8');
      for (const match of source.matchAll(/export class (\w+)/g)) owners.set(match[1], folder);
    }
  }
  return owners;
}

/** `apps/api`, `libs/jobs`, ...: every folder with a `src`. */
function appsAndLibraries(): string[] {
  return ['apps', 'libs'].flatMap((top) =>
    readdirSync(join(ROOT, top), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, top, entry.name, 'src')))
      .map((entry) => `${top}/${entry.name}`),
  );
}

/** What a snapshot says of a route: `public`, or its scopes separated by spaces. */
type Pinned = Record<string, string>;

function readSnapshot(folder: string): Pinned | undefined {
  try {
    return JSON.parse(readFileSync(join(ROOT, folder, SNAPSHOT), 'utf8')) as Pinned;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Fails when a route declares neither `@Scopes(...)` nor `@Public()`: a forgotten guard breaks the
 * build instead of exposing patient data. Then every route's access is compared with its owner's
 * snapshot: a route that turns public, changes its scopes, appears or disappears fails until the
 * snapshot is updated on purpose (`npm run routes:pin`, reviewed in the change like code).
 */
describe('route audit', () => {
  const reflector = new Reflector();
  const controllers = controllersOf(
    AppModule.forRoot(loadConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'x'.repeat(32) })),
  );
  const routes = controllers.flatMap(routesOf);
  const declaredAccess = (route: Route): string => {
    const access = routeAccess(reflector, route.handler, route.controller);
    if (access.kind === 'public') return 'public';
    if (access.kind === 'scopes') return [...access.scopes].sort().join(' ');
    return 'undeclared';
  };

  it('finds the service’s controllers', () => {
    expect(controllers.map((controller) => controller.name)).toContain('JobsController');
  });

  it.each(routes.map((route) => [route.controller.name, route.name, route] as const))(
    '%s.%s declares its scopes or is explicitly public',
    (_, __, route) => {
      const access = routeAccess(reflector, route.handler, route.controller);
      expect(access.kind).not.toBe('undeclared');
      if (access.kind === 'scopes') expect(access.scopes.length).toBeGreaterThan(0);
    },
  );

  describe('routes pinned in each owner’s snapshot', () => {
    const owners = ownerFolders();
    const byFolder = new Map<string, Pinned>();
    for (const route of routes) {
      const folder = owners.get(route.controller.name);
      if (!folder)
        throw new Error(
          `No *.controller.ts under apps/ or libs/ declares ${route.controller.name}`,
        );
      byFolder.set(folder, { ...byFolder.get(folder), [route.key]: declaredAccess(route) });
    }
    const served = [...byFolder].map(([folder, pinned]) => {
      const sorted = Object.fromEntries(
        Object.entries(pinned).sort(([a], [b]) => a.localeCompare(b)),
      );
      return [folder, sorted] as const;
    });

    if (process.env.PIN_ROUTES === '1') {
      for (const [folder, pinned] of served) {
        writeFileSync(join(ROOT, folder, SNAPSHOT), `${JSON.stringify(pinned, null, 2)}\n`);
      }
    }

    it('finds routes in more than one owner', () => {
      expect(served.length).toBeGreaterThan(1);
    });

    it.each(served)(
      '%s/' + SNAPSHOT + ' pins its routes as they are declared',
      (folder, pinned) => {
        const snapshot = readSnapshot(folder);
        const hint = `${folder}'s routes differ from ${folder}/${SNAPSHOT}; review the change, then run \`${PIN_COMMAND}\``;
        expect({ hint, routes: pinned }).toEqual({ hint, routes: snapshot ?? 'no snapshot' });
      },
    );

    it('has no snapshot for routes that are gone', () => {
      const stale = appsAndLibraries().filter(
        (folder) => existsSync(join(ROOT, folder, SNAPSHOT)) && !byFolder.has(folder),
      );
      expect({ stale, fix: PIN_COMMAND }).toEqual({ stale: [], fix: PIN_COMMAND });
    });
  });
});
