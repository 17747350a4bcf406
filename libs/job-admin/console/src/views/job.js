import { html } from 'htm/preact';
import { api } from '../api.js';
import { bytes, instant } from '../format.js';
import { useLoaded } from '../hooks.js';
import { ConfirmButton } from './confirm.js';
import { Problem } from './problem.js';

/** What is stored, described without being shown: clinical data never reaches this page. */
function Stored({ stored }) {
  if (stored.bytes === null) return html`<span>none stored</span>`;
  return html`<span>${bytes(stored.bytes)}, SHA-256 <code>${stored.sha256}</code></span>`;
}

/** One job: its state, its attempts, and a retry when it failed with an error. */
export function JobView({ session, id }) {
  const { token, auto } = session;
  const { value, error, reload } = useLoaded(() => api.job(token, id), id, { auto });
  const job = value?.data;
  const retry = async () => {
    await api.retry(token, id);
    await reload();
  };
  const row = (label, content, field) =>
    html`<tr>
      <th scope="row">${label}</th>
      <td data-field=${field}>${content}</td>
    </tr>`;
  return html`
    <section>
      <h2>Job <code>${id}</code></h2>
      <p><a href="#/jobs?status=failed_with_error">Back to the jobs</a></p>
      <${Problem} error=${error} session=${session} />
      ${
        job &&
        html`
          <table class="detail">
            <tbody>
              ${row('Type', job.type, 'type')} ${row('Client', job.client_id, 'client_id')}
              ${row('Status (as its client sees it)', job.status, 'status')}
              ${row('State', job.state, 'state')}
              ${row('Status code', job.status_code ?? '—', 'status_code')}
              ${row('Error id', job.error_id ? html`<code>${job.error_id}</code>` : '—', 'error_id')}
              ${row('Submitted', instant(job.inserted_at))}
              ${row('Updated', instant(job.updated_at))}
              ${row('Finished', instant(job.finished_at))} ${row('Eta', instant(job.eta))}
              ${row('Claims', `${job.attempts} (${job.attempts_before_retry} before the last retry)`)}
              ${row('Payload', html`<${Stored} stored=${job.payload} />`, 'payload')}
              ${row('Result', html`<${Stored} stored=${job.result} />`, 'result')}
            </tbody>
          </table>
          ${
            job.state === 'failed_with_error' &&
            html`<${ConfirmButton}
              label="Retry"
              title="Retry this job?"
              question="It runs again with a fresh attempt budget; its client sees it pending, then its new outcome."
              onConfirm=${retry}
            />`
          }
          <h3>Attempts</h3>
          <table class="attempts">
            <thead>
              <tr>
                <th>#</th>
                <th>Worker</th>
                <th>Started</th>
                <th>Ended</th>
                <th>Outcome</th>
                <th>Error id</th>
              </tr>
            </thead>
            <tbody>
              ${job.attempt_history.map(
                (attempt) =>
                  html`<tr>
                    <td>${attempt.attempt}</td>
                    <td>${attempt.worker ?? '—'}</td>
                    <td>${instant(attempt.started_at)}</td>
                    <td>${instant(attempt.ended_at)}</td>
                    <td data-field="outcome">${attempt.outcome ?? 'running'}</td>
                    <td><code>${attempt.error_id ?? ''}</code></td>
                  </tr>`,
              )}
            </tbody>
          </table>
        `
      }
    </section>
  `;
}
