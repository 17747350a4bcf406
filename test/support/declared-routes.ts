import { RouteAccess, routeAccess } from '@app/auth';
import { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { ModulesContainer, Reflector } from '@nestjs/core';

export interface DeclaredRoute {
  /** `get`, `post`, ... */
  method: string;
  /** The path with `{param}` placeholders, as OpenAPI writes it. */
  url: string;
  access: RouteAccess;
  controller: Type<unknown>;
}

/** Every route of the application's controllers, with what it declares about access. */
export function declaredRoutes(app: INestApplication): DeclaredRoute[] {
  const reflector = new Reflector();
  const controllers = new Set<Type<unknown>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      if (wrapper.metatype) controllers.add(wrapper.metatype as Type<unknown>);
    }
  }
  return [...controllers].flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (typeof handler !== 'function') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) return [];
      const url = `/${[base, path].map((part) => part.replace(/^\/|\/$/g, '')).join('/')}`
        .replace(/\/$/, '')
        .replace(/:(\w+)/g, '{$1}');
      return [
        {
          method: RequestMethod[method].toLowerCase(),
          url,
          access: routeAccess(reflector, handler, controller),
          controller,
        },
      ];
    });
  });
}

/** Every scope some route of the application requires, space-separated as a token's `scope`. */
export function everyScope(app: INestApplication): string {
  const scopes = declaredRoutes(app).flatMap((route) =>
    route.access.kind === 'scopes' ? route.access.scopes : [],
  );
  return [...new Set(scopes)].sort().join(' ');
}
