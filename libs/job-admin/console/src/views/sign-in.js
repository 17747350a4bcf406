import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

/** The operator pastes a `job:admin` token; it stays in this tab's session storage only. */
export function SignIn({ onSignIn, notice }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    const token = value.trim().replace(/^Bearer\s+/i, '');
    if (token) onSignIn(token);
  };
  return html`
    <section class="sign-in">
      <h1>MIS jobs console</h1>
      <p>
        Paste an operator token (scope <code>job:admin</code>). It is kept in this tab only and sent
        to this service alone.
      </p>
      ${notice && html`<p role="alert" class="error">${notice}</p>`}
      <form onSubmit=${submit}>
        <label for="token">Bearer token</label>
        <textarea
          id="token"
          rows="5"
          spellcheck="false"
          autocomplete="off"
          value=${value}
          onInput=${(e) => setValue(e.currentTarget.value)}
        ></textarea>
        <button type="submit">Sign in</button>
      </form>
    </section>
  `;
}
