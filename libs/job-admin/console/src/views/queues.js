import { html } from 'htm/preact';
import { api } from '../api.js';
import { age, instant, milliseconds } from '../format.js';
import { useLoaded } from '../hooks.js';
import { ConfirmButton } from './confirm.js';
import { Problem } from './problem.js';
import { ThroughputChart } from './throughput-chart.js';

/** Every job type's queue, the throughput of the last hour, and the live workers. */
export function QueuesView({ session }) {
  const { token, auto } = session;
  const { value, error, reload } = useLoaded(() => api.queues(token), 'queues', { auto });
  const overview = value?.data;
  const act = (action, type) => async () => {
    await api[action](token, type);
    await reload();
  };
  return html`
    <section>
      <h2>Queues</h2>
      <${Problem} error=${error} session=${session} />
      ${
        overview &&
        html`
          <p class="meta">
            ${`As of ${instant(overview.generated_at)}. Live workers: ${overview.workers.length}, running up to ${overview.capacity} jobs at once.`}
          </p>
          <table class="queues">
            <thead>
              <tr>
                <th>Job type</th>
                <th>State</th>
                <th>Waiting</th>
                <th>Running</th>
                <th>Retry scheduled</th>
                <th>Failed with error (24 h)</th>
                <th>Oldest waiting</th>
                <th>p50</th>
                <th>p95</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${overview.types.map(
                (queue) => html`
                  <tr data-type=${queue.type}>
                    <th scope="row">${queue.type}</th>
                    <td data-field="state" class=${queue.paused ? 'paused' : ''}>
                      ${queue.paused ? `paused by ${queue.paused_by}` : 'active'}
                    </td>
                    <td data-field="waiting">${queue.waiting}</td>
                    <td data-field="running">${queue.running}</td>
                    <td data-field="retry_scheduled">${queue.retry_scheduled}</td>
                    <td data-field="failed_with_error_24h">
                      ${
                        queue.failed_with_error_24h > 0
                          ? html`<a
                              href=${`#/jobs?status=failed_with_error&type=${encodeURIComponent(queue.type)}`}
                              >${queue.failed_with_error_24h}</a
                            >`
                          : '0'
                      }
                    </td>
                    <td data-field="oldest_waiting">${age(queue.oldest_waiting_age_seconds)}</td>
                    <td data-field="p50">${milliseconds(queue.duration_ms.p50)}</td>
                    <td data-field="p95">${milliseconds(queue.duration_ms.p95)}</td>
                    <td>
                      ${
                        queue.paused
                          ? html`<${ConfirmButton}
                              label="Resume"
                              title=${`Resume ${queue.type}?`}
                              question="Workers will claim its jobs again, oldest first."
                              onConfirm=${act('resume', queue.type)}
                            />`
                          : html`<${ConfirmButton}
                              label="Pause"
                              title=${`Pause ${queue.type}?`}
                              question="Workers stop claiming its jobs (runs already going finish). Submissions are still accepted; their eta says the type is paused."
                              onConfirm=${act('pause', queue.type)}
                            />`
                      }
                    </td>
                  </tr>
                `,
              )}
            </tbody>
          </table>
          <${ThroughputChart} overview=${overview} />
          <h3>Live workers</h3>
          <table class="workers">
            <thead>
              <tr>
                <th>Worker</th>
                <th>Capacity</th>
                <th>Started</th>
                <th>Last heartbeat</th>
              </tr>
            </thead>
            <tbody>
              ${overview.workers.map(
                (worker) =>
                  html`<tr>
                    <td>${worker.id}</td>
                    <td>${worker.capacity}</td>
                    <td>${instant(worker.started_at)}</td>
                    <td>${instant(worker.last_heartbeat_at)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        `
      }
    </section>
  `;
}
