import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { AuditView } from './views/audit.js';
import { JobView } from './views/job.js';
import { JobsView } from './views/jobs.js';
import { QueuesView } from './views/queues.js';
import { SignIn } from './views/sign-in.js';
import { readRoute } from './route.js';

const TOKEN_KEY = 'mis-jobs-console-token';

export function App() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY));
  const [notice, setNotice] = useState(undefined);
  const [route, setRoute] = useState(readRoute);
  const [auto, setAuto] = useState(true);

  useEffect(() => {
    const changed = () => setRoute(readRoute());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);

  const signIn = (pasted) => {
    sessionStorage.setItem(TOKEN_KEY, pasted);
    setNotice(undefined);
    setToken(pasted);
  };
  const signOut = (why) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setNotice(why);
    setToken(null);
  };
  if (!token) return html`<${SignIn} onSignIn=${signIn} notice=${notice} />`;

  /** What every view does with an error: a refused token signs out; others are shown. */
  const session = {
    token,
    auto,
    refused: (error) => error?.status === 401 && signOut(error.message),
  };
  const { path, query } = route;
  const view = path.startsWith('/jobs/')
    ? html`<${JobView} session=${session} id=${decodeURIComponent(path.slice(6))} />`
    : path === '/jobs'
      ? html`<${JobsView} session=${session} query=${query} />`
      : path === '/audit'
        ? html`<${AuditView} session=${session} query=${query} />`
        : html`<${QueuesView} session=${session} />`;
  const tab = (href, label, active) =>
    html`<a
      href=${href}
      class=${active ? 'tab active' : 'tab'}
      aria-current=${active ? 'page' : undefined}
      >${label}</a
    >`;

  return html`
    <header>
      <h1>MIS jobs console</h1>
      <nav>
        ${tab('#/queues', 'Queues', path === '/queues')}
        ${tab('#/jobs?status=failed_with_error', 'Jobs', path.startsWith('/jobs'))}
        ${tab('#/audit', 'Audit', path === '/audit')}
      </nav>
      <label class="auto">
        <input
          type="checkbox"
          checked=${auto}
          onChange=${(e) => setAuto(e.currentTarget.checked)}
        />
        Auto refresh
      </label>
      <button type="button" class="quiet" onClick=${() => signOut(undefined)}>Sign out</button>
    </header>
    ${view}
  `;
}
