// Styles the customer app's pages share (on top of the ui-kit's controls and phoneLayout).
import { css } from "lit";

export const shopStyles = css`
  :host {
    display: block;
  }
  a {
    color: var(--fd-primary-strong);
  }
  .back {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-height: var(--fd-control-height-sm);
    margin: 0 0 calc(-1 * var(--fd-space-2)) calc(-1 * var(--fd-space-2));
    padding: 0 var(--fd-space-2);
    border-radius: var(--fd-radius-sm);
    font-weight: 600;
    text-decoration: none;
    justify-self: start;
  }
  .back:hover {
    background: rgb(0 0 0 / 0.05);
  }
  .back svg {
    width: 20px;
    height: 20px;
  }
  h1:focus {
    outline: none;
  }
  /* - 2 + quantity stepper */
  .stepper {
    display: inline-flex;
    align-items: center;
    border: 1px solid var(--fd-border-strong);
    border-radius: 999px;
    background: var(--fd-surface);
    flex: none;
  }
  .stepper button {
    display: grid;
    place-items: center;
    width: var(--fd-control-height);
    height: var(--fd-control-height);
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--fd-primary-strong);
    cursor: pointer;
  }
  .stepper button:hover {
    background: var(--fd-primary-soft);
  }
  .stepper button[disabled] {
    color: var(--fd-border-strong);
    cursor: not-allowed;
    background: transparent;
  }
  .stepper svg {
    width: 20px;
    height: 20px;
  }
  .stepper output {
    min-width: 1.6em;
    text-align: center;
    font-weight: 800;
    font-variant-numeric: tabular-nums;
  }
  .sync {
    display: flex;
    align-items: center;
    gap: var(--fd-space-2);
    margin: 0;
    padding: var(--fd-space-2) var(--fd-space-3);
    border-radius: var(--fd-radius-sm);
    background: var(--fd-warning-soft);
    color: var(--fd-warning-strong);
    font-size: var(--fd-text-sm);
    font-weight: 600;
  }
  .sync svg {
    width: 18px;
    height: 18px;
    flex: none;
  }
  .failed {
    display: grid;
    gap: var(--fd-space-3);
    justify-items: start;
  }
  .failed h2 {
    margin: 0;
    font-size: var(--fd-text-lg);
  }
`;
