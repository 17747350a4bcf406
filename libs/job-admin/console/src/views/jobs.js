import { html } from 'htm/preact';
import { api } from '../api.js';
import { instant } from '../format.js';
import { useLoaded } from '../hooks.js';
import { navigate } from '../route.js';
import { Pager } from './paging.js';
import { Problem } from './problem.js';

const STATUSES = ['', 'pending', 'processed', 'failed', 'failed_with_error'];
const FILTERS = ['status', 'type', 'client_id'];

/** Jobs of every client with the filters of the query (failed with an error, by default). */
export function JobsView({ session, query }) {
  const { token, auto } = session;
  const search = new URLSearchParams(
    [...query].filter(([name, value]) => value && [...FILTERS, 'page'].includes(name)),
  );
  search.set('page_size', '25');
  const { value, error } = useLoaded(() => api.jobs(token, search), search.toString(), { auto });
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(
      '/jobs',
      FILTERS.map((name) => [name, form.get(name).trim()]).filter(([, v]) => v),
    );
  };
  return html`
    <section>
      <h2>Jobs</h2>
      <form class="filters" onSubmit=${submit}>
        <label
          >Status
          <select name="status" value=${query.get('status') ?? ''}>
            ${STATUSES.map((status) => html`<option value=${status}>${status || 'any'}</option>`)}
          </select>
        </label>
        <label>Type <input name="type" value=${query.get('type') ?? ''} /></label>
        <label>Client <input name="client_id" value=${query.get('client_id') ?? ''} /></label>
        <button type="submit">Filter</button>
      </form>
      <${Problem} error=${error} session=${session} />
      ${
        value &&
        html`
          <table class="jobs">
            <thead>
              <tr>
                <th>Job</th>
                <th>Type</th>
                <th>Client</th>
                <th>Status</th>
                <th>Code</th>
                <th>Attempts</th>
                <th>Submitted</th>
                <th>Updated</th>
                <th>Error id</th>
              </tr>
            </thead>
            <tbody>
              ${value.data.map(
                (job) =>
                  html`<tr data-job=${job.id}>
                    <td><a href=${`#/jobs/${job.id}`}>${job.id}</a></td>
                    <td>${job.type}</td>
                    <td>${job.client_id}</td>
                    <td data-field="status">${job.status}</td>
                    <td>${job.status_code ?? '—'}</td>
                    <td>${job.attempts}</td>
                    <td>${instant(job.inserted_at)}</td>
                    <td>${instant(job.updated_at)}</td>
                    <td><code>${job.error_id ?? ''}</code></td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${value.data.length === 0 && html`<p class="meta">No job matches.</p>`}
          <${Pager} paging=${value.paging} path="/jobs" query=${query} />
        `
      }
    </section>
  `;
}
