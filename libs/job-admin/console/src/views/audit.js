import { html } from 'htm/preact';
import { api } from '../api.js';
import { instant } from '../format.js';
import { useLoaded } from '../hooks.js';
import { Pager } from './paging.js';
import { Problem } from './problem.js';

/** Every operator action, newest first. */
export function AuditView({ session, query }) {
  const { token, auto } = session;
  const search = new URLSearchParams({ page: query.get('page') ?? '1', page_size: '25' });
  const { value, error } = useLoaded(() => api.audit(token, search), search.toString(), { auto });
  return html`
    <section>
      <h2>Audit of operator actions</h2>
      <${Problem} error=${error} session=${session} />
      ${
        value &&
        html`
          <table class="audit">
            <thead>
              <tr>
                <th>When</th>
                <th>Operator</th>
                <th>Action</th>
                <th>Target</th>
                <th>Request id</th>
              </tr>
            </thead>
            <tbody>
              ${value.data.map(
                (entry) =>
                  html`<tr>
                    <td>${instant(entry.at)}</td>
                    <td>${entry.operator}</td>
                    <td>${entry.action}</td>
                    <td>${entry.target}</td>
                    <td><code>${entry.request_id}</code></td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <${Pager} paging=${value.paging} path="/audit" query=${query} />
        `
      }
    </section>
  `;
}
