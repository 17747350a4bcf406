/** The view and its query, after `#`: `#/jobs?status=failed_with_error`. */
export function readRoute() {
  const [path, query = ''] = window.location.hash.replace(/^#/, '').split('?');
  return { path: path || '/queues', query: new URLSearchParams(query) };
}

export function navigate(path, query) {
  const search = query ? new URLSearchParams(query).toString() : '';
  window.location.hash = search ? `${path}?${search}` : path;
}
