import { REQUIRED_SCOPES_EXTENSION } from '@app/http';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  RequestBodyObject,
  SchemaObject,
} from '@nestjs/swagger';
import type { Response } from 'supertest';

/**
 * The routes of the OpenAPI document and the examples it gives, so that suites exercise every
 * module's routes (a new one included) from what the module documents, with no change in the suite:
 * the request body examples create the objects, the path parameter examples fill the paths.
 *
 * An object route is a `GET` ending in a path parameter that requires scopes
 * (`GET /api/patients/{patient_id}/encounters/{id}`): what it serves belongs to a client. A route
 * acts on an object when its path starts with an object route's (`PATCH .../episodes/{id}/actions/close`).
 * A creating route is any other write with a body example: sent as documented, it is accepted
 * (202), and its job's links name the objects it made.
 */
export interface DocumentedRoute {
  /** `get`, `post`, ... */
  method: string;
  /** `/api/jobs/{id}` */
  template: string;
  operation: OperationObject;
  /** The scopes it requires; empty for a public route. */
  scopes: string[];
  /** The object route this route acts on, when it acts on one. */
  object?: string;
  /** `GET /api/jobs/{id}` */
  name: string;
}

/** An object a client made through a documented example: its address and its object route. */
export interface ExampleObject {
  template: string;
  href: string;
}

export type Send = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Response>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * The operators' scope. Its routes (`/api/admin/...`) are the one exception to "a client reaches
 * only its own objects": an operator sees every client's jobs by design (the operator API), so
 * `GET /api/admin/jobs/{id}` is not an object a client owns, and the operators' lists name every
 * client's jobs. They are neither object routes nor routes on objects here, and the object-access
 * suite leaves their lists out; `test/job-admin.e2e-spec.ts` checks them instead (refused to every
 * token without this scope, never showing a payload).
 */
export const OPERATOR_SCOPE = 'job:admin';

export const isOperatorRoute = (route: Pick<DocumentedRoute, 'scopes'>): boolean =>
  route.scopes.includes(OPERATOR_SCOPE);
const WRITES = ['post', 'put', 'patch', 'delete'];
const PARAMETER = /\{(\w+)\}/g;

export function documentedRoutes(document: OpenAPIObject): DocumentedRoute[] {
  const routes = Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]: [string, OperationObject]) => ({
        method,
        template,
        operation,
        scopes:
          ((operation as unknown as Record<string, unknown>)[REQUIRED_SCOPES_EXTENSION] as
            string[] | undefined) ?? [],
        name: `${method.toUpperCase()} ${template}`,
      })),
  );
  const objects = routes
    .filter((route) => route.method === 'get' && route.scopes.length > 0 && !isOperatorRoute(route))
    .filter((route) => /\{\w+\}$/.test(route.template))
    .map((route) => route.template);
  return routes.map((route) => {
    if (isOperatorRoute(route)) return route;
    const acted = objects.filter(
      (object) => route.template === object || route.template.startsWith(`${object}/`),
    );
    const object = acted.sort((a, b) => b.length - a.length)[0];
    return object ? { ...route, object } : route;
  });
}

export const isWrite = (route: DocumentedRoute): boolean => WRITES.includes(route.method);

/** Writes that act on no object and document a body example: each makes new objects. */
export function creatingRoutes(routes: DocumentedRoute[]): DocumentedRoute[] {
  return routes.filter(
    (route) =>
      isWrite(route) &&
      !route.object &&
      route.scopes.length > 0 &&
      bodyExample(route.operation) !== undefined,
  );
}

/** The operation's JSON request body example (its first, when it names several). */
export function bodyExample(operation: OperationObject): unknown {
  const content = (operation.requestBody as RequestBodyObject | undefined)?.content?.[
    'application/json'
  ];
  if (!content) return undefined;
  if (content.example !== undefined) return content.example;
  const first = Object.values(content.examples ?? {})[0];
  return first && 'value' in first ? first.value : undefined;
}

/**
 * The route's path: each parameter from `values`, or else from its documented example (a route
 * whose parameter has neither fails, naming it).
 */
export function pathOf(route: DocumentedRoute, values: Record<string, string> = {}): string {
  return route.template.replace(PARAMETER, (_, name: string) => {
    if (values[name] !== undefined) return values[name];
    const parameter = (route.operation.parameters ?? []).find(
      (candidate): candidate is ParameterObject =>
        'name' in candidate && candidate.name === name && candidate.in === 'path',
    );
    const example = parameter?.example ?? (parameter?.schema as SchemaObject | undefined)?.example;
    if (example === undefined) {
      throw new Error(`${route.name}: the path parameter ${name} has no example`);
    }
    return encodeURIComponent(String(example));
  });
}

/** The parameters of `template` in `path`, or undefined when the path is not one of its. */
export function parametersIn(template: string, path: string): Record<string, string> | undefined {
  const names = [...template.matchAll(PARAMETER)].map((match) => match[1]);
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(PARAMETER, '([^/]+)');
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, match[i + 1]]));
}

/** The route's path on this object (`.../episodes/{id}/actions/close` for the episode). */
export function pathOn(route: DocumentedRoute, object: ExampleObject): string {
  return pathOf(route, parametersIn(object.template, object.href));
}

/** A job's last answer: its address polled with `Prefer: wait` until it is no longer pending. */
export async function jobOutcome(send: Send, location: string): Promise<Response> {
  for (let polls = 0; polls < 10; polls++) {
    const answer = await send('get', location, undefined, { prefer: 'wait=20' });
    if (answer.status !== 200 || answer.body?.data?.status !== 'pending') return answer;
  }
  throw new Error(`${location} was still pending after 10 long polls`);
}

/** What a write came to: its job's outcome when it was accepted (202), else its own answer. */
export async function writeOutcome(send: Send, accepted: Response): Promise<Response> {
  return accepted.status === 202 ? jobOutcome(send, accepted.headers.location) : accepted;
}

/**
 * Sends every creating route's example as documented and follows its job: the objects it made are
 * the job's address and the links of its 303. A creating example that is refused or whose job does
 * not end in a 303 fails, with the answer (the documented example must work for
 * `EXAMPLE_CLIENT_ID`). `observe` sees every answer.
 */
export async function createExampleObjects(
  routes: DocumentedRoute[],
  send: Send,
  observe: (answer: Response) => void = () => undefined,
): Promise<ExampleObject[]> {
  const objectRoutes = [...new Set(routes.flatMap((route) => route.object ?? []))];
  const objects: ExampleObject[] = [];
  for (const route of creatingRoutes(routes)) {
    const accepted = await send(route.method, pathOf(route), bodyExample(route.operation));
    observe(accepted);
    const done =
      accepted.status === 202 ? await jobOutcome(send, accepted.headers.location) : undefined;
    if (done) observe(done);
    if (!done || done.status !== 303) {
      const last = done ?? accepted;
      throw new Error(
        `${route.name}: its documented example came to ${last.status} ` +
          `${JSON.stringify(last.body)}; it should be accepted (202) and its job end in a 303`,
      );
    }
    const hrefs: string[] = [
      accepted.headers.location,
      ...(done.body.data.links ?? []).map((link: { href: string }) => link.href),
    ];
    for (const href of hrefs) {
      const template = objectRoutes.find((object) => parametersIn(object, href));
      if (template) objects.push({ template, href });
    }
  }
  return objects;
}
