import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';

/** An error answer as the service words it (`403`: the missing scope); a refused token signs out. */
export function Problem({ error, session }) {
  useEffect(() => {
    if (error) session.refused(error);
  }, [error]);
  if (!error) return null;
  return html`<p role="alert" class="error" data-status=${error.status}>${error.message}</p>`;
}
