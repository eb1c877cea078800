// Shared component styles (Lit CSS) on top of tokens.css: buttons, form fields, the switch,
// error text. Add `controls` to a component's `static styles`.
//
//   <button class="btn primary">Save</button>            (also: success, danger, ghost, quiet, small)
//   <label class="field"><span>Name</span><input /></label>
//   <button class="switch" role="switch" aria-checked="true"><span class="knob"></span></button>
//   <p class="problem" role="alert">…</p>
import { css } from "lit";

export const controls = css`
  :host {
    font-family: var(--fd-font);
    color: var(--fd-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 3px solid var(--fd-primary);
    outline-offset: 2px;
  }

  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--fd-space-2);
    min-height: var(--fd-control-height);
    padding: 0 var(--fd-space-4);
    border: 1px solid var(--fd-border-strong);
    border-radius: var(--fd-radius-sm);
    background: var(--fd-surface);
    color: var(--fd-text);
    font: inherit;
    font-size: var(--fd-text-md);
    font-weight: 600;
    line-height: 1.1;
    cursor: pointer;
    white-space: nowrap;
    user-select: none;
    -webkit-tap-highlight-color: transparent;
    transition: background-color 0.12s, border-color 0.12s, box-shadow 0.12s;
  }
  .btn:hover {
    background: var(--fd-surface-muted);
  }
  .btn:active {
    transform: translateY(1px);
  }
  .btn[disabled],
  .btn[aria-disabled="true"] {
    opacity: 0.55;
    cursor: not-allowed;
    transform: none;
  }
  .btn.small {
    min-height: var(--fd-control-height-sm);
    padding: 0 var(--fd-space-3);
    font-size: var(--fd-text-sm);
  }
  .btn.primary {
    background: var(--fd-primary);
    border-color: var(--fd-primary);
    color: #fff;
  }
  .btn.primary:hover {
    background: var(--fd-primary-strong);
  }
  .btn.success {
    background: var(--fd-success);
    border-color: var(--fd-success);
    color: #fff;
  }
  .btn.success:hover {
    background: var(--fd-success-strong);
  }
  .btn.danger {
    background: var(--fd-danger);
    border-color: var(--fd-danger);
    color: #fff;
  }
  .btn.danger:hover {
    background: var(--fd-danger-strong);
  }
  .btn.danger-outline {
    color: var(--fd-danger);
    border-color: currentColor;
  }
  .btn.danger-outline:hover {
    background: var(--fd-danger-soft);
  }
  .btn.ghost {
    background: transparent;
    border-color: transparent;
  }
  .btn.ghost:hover {
    background: rgb(0 0 0 / 0.06);
  }
  .btn svg {
    width: 1.2em;
    height: 1.2em;
    flex: none;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: var(--fd-space-1);
    min-width: 0;
  }
  .field > span,
  .label {
    font-size: var(--fd-text-sm);
    font-weight: 600;
    color: var(--fd-text-muted);
  }
  input,
  textarea,
  select {
    font: inherit;
    font-size: var(--fd-text-md);
    color: var(--fd-text);
    background: var(--fd-surface);
    border: 1px solid var(--fd-border-strong);
    border-radius: var(--fd-radius-sm);
    min-height: var(--fd-control-height);
    padding: var(--fd-space-2) var(--fd-space-3);
    width: 100%;
  }
  textarea {
    min-height: 4.5em;
    resize: vertical;
  }
  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--fd-primary);
    outline-offset: 0;
    border-color: var(--fd-primary);
  }
  input[aria-invalid="true"],
  textarea[aria-invalid="true"] {
    border-color: var(--fd-danger);
    background: var(--fd-danger-soft);
  }
  .hint {
    font-size: var(--fd-text-xs);
    color: var(--fd-text-muted);
  }

  .problem {
    margin: 0;
    padding: var(--fd-space-2) var(--fd-space-3);
    border-radius: var(--fd-radius-sm);
    border-left: 4px solid var(--fd-danger);
    background: var(--fd-danger-soft);
    color: var(--fd-danger-strong);
    font-size: var(--fd-text-sm);
    font-weight: 600;
  }
  .field-problem {
    margin: 0;
    color: var(--fd-danger-strong);
    font-size: var(--fd-text-xs);
    font-weight: 600;
  }

  .switch {
    --switch-on: var(--fd-success);
    position: relative;
    display: inline-flex;
    align-items: center;
    flex: none;
    width: 52px;
    height: 30px;
    padding: 0;
    border: 0;
    border-radius: 999px;
    background: var(--fd-border-strong);
    cursor: pointer;
    transition: background-color 0.15s;
  }
  .switch .knob {
    position: absolute;
    left: 3px;
    width: 24px;
    height: 24px;
    border-radius: 50%;
    background: #fff;
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.3);
    transition: transform 0.15s;
  }
  .switch[aria-checked="true"] {
    background: var(--switch-on);
  }
  .switch[aria-checked="true"] .knob {
    transform: translateX(22px);
  }
  .switch[aria-busy="true"] {
    opacity: 0.6;
  }
  .switch[disabled] {
    cursor: not-allowed;
    opacity: 0.5;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
    }
  }
`;
