import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

/**
 * A button whose action runs only once confirmed in a dialog that says what it will do. The
 * action's error, if any, is shown in the dialog.
 */
export function ConfirmButton({ label, title, question, onConfirm }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(undefined);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
      setError(undefined);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <button type="button" onClick=${() => setOpen(true)}>${label}</button>
    ${
      open &&
      html`<div class="backdrop">
        <div role="dialog" aria-modal="true" aria-labelledby="confirm-title" class="dialog">
          <h2 id="confirm-title">${title}</h2>
          <p>${question}</p>
          ${error && html`<p role="alert" class="error">${error.message}</p>`}
          <div class="buttons">
            <button type="button" class="quiet" onClick=${() => setOpen(false)}>Cancel</button>
            <button type="button" class="primary" disabled=${busy} onClick=${confirm}>
              Confirm
            </button>
          </div>
        </div>
      </div>`
    }
  `;
}
