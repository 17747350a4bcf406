// The console calls only the documented /api/admin routes, with the operator's pasted token.

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

/** `data` (and `paging` for lists) of an answer, or an ApiError with the service's own message. */
export async function call(token, method, path) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'The service cannot be reached.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body.error ?? {};
    throw new ApiError(response.status, error.type, error.message ?? `HTTP ${response.status}`);
  }
  return { data: body.data, paging: body.paging };
}

export const api = {
  queues: (token) => call(token, 'GET', '/api/admin/queues'),
  jobs: (token, query) => call(token, 'GET', `/api/admin/jobs?${query}`),
  job: (token, id) => call(token, 'GET', `/api/admin/jobs/${encodeURIComponent(id)}`),
  retry: (token, id) =>
    call(token, 'POST', `/api/admin/jobs/${encodeURIComponent(id)}/actions/retry`),
  pause: (token, type) =>
    call(token, 'POST', `/api/admin/queues/${encodeURIComponent(type)}/actions/pause`),
  resume: (token, type) =>
    call(token, 'POST', `/api/admin/queues/${encodeURIComponent(type)}/actions/resume`),
  audit: (token, query) => call(token, 'GET', `/api/admin/audit?${query}`),
};
