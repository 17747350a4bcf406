import { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface AppRoute {
  method: string;
  /** Fastify's pattern, `/api/jobs/:id`. */
  url: string;
}

/** Routes only the test application mounts (the probe controllers): not the service's. */
const TEST_ONLY_ROUTES = /^\/api\/probe(\/|$)/;

/**
 * Every route the service registers with Fastify, recorded as it is added: pass `beforeInit` to
 * `startTestApp`, then read `routes` once the application is up. A new route is picked up with no
 * change here. HEAD routes (Fastify adds one per GET) carry no body to check and are left out.
 */
export function recordRoutes(): {
  routes: AppRoute[];
  beforeInit: (app: NestFastifyApplication) => void;
} {
  const routes: AppRoute[] = [];
  const beforeInit = (app: NestFastifyApplication) => {
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        if (TEST_ONLY_ROUTES.test(route.url)) return;
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods) {
          if (method !== 'HEAD') routes.push({ method, url: route.url });
        }
      });
  };
  return { routes, beforeInit };
}

/** The route's pattern with each `:param` replaced by the next of `segments` (already encoded). */
export function fillRoute(route: AppRoute, segments: readonly string[]): string {
  let next = 0;
  return route.url.replace(/:\w+/g, () => segments[next++ % segments.length]);
}
