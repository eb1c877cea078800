// Styles the driver app's screens share (on top of the ui-kit's controls and phoneLayout).
import { css } from "lit";

export const driverStyles = css`
  :host {
    display: block;
  }
  a {
    color: var(--fd-primary-strong);
  }
  h1:focus,
  h2:focus {
    outline: none;
  }
  /* every control is at least 48 px: used on the move, with one thumb */
  .btn {
    min-height: 48px;
  }
  .btn.small {
    min-height: 48px;
  }
  .btn.large {
    min-height: 56px;
    font-size: var(--fd-text-lg);
    font-weight: 800;
  }
  .section-title {
    display: flex;
    align-items: center;
    gap: var(--fd-space-2);
    margin: var(--fd-space-2) 0 0;
    font-size: var(--fd-text-lg);
    line-height: 1.2;
  }
  .kicker {
    margin: 0;
    font-size: var(--fd-text-xs);
    font-weight: 800;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--fd-text-muted);
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: var(--fd-space-2);
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 4px 10px;
    border-radius: 999px;
    background: var(--fd-surface-muted);
    border: 1px solid var(--fd-border);
    font-size: var(--fd-text-sm);
    font-weight: 600;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  .chip svg {
    width: 16px;
    height: 16px;
    flex: none;
  }
  .chip.strong {
    background: var(--fd-primary-soft);
    border-color: transparent;
    color: var(--fd-primary-strong);
  }
  .chip.ready {
    background: var(--fd-success-soft);
    border-color: transparent;
    color: var(--fd-success-strong);
  }
  .chip.waiting {
    background: var(--fd-warning-soft);
    border-color: transparent;
    color: var(--fd-warning-strong);
  }
  .route {
    display: grid;
    grid-template-columns: 22px 1fr;
    column-gap: var(--fd-space-2);
    row-gap: 2px;
    margin: 0;
    padding: 0;
    list-style: none;
    min-width: 0;
  }
  .route li {
    display: contents;
  }
  .route .dot {
    display: grid;
    place-items: center;
    width: 22px;
    height: 22px;
  }
  .route .dot::before {
    content: "";
    width: 12px;
    height: 12px;
    border-radius: 50%;
    background: #c25e00;
  }
  .route li.to .dot::before {
    border-radius: 3px;
    background: var(--fd-success);
  }
  .route .where {
    min-width: 0;
    overflow-wrap: anywhere;
    line-height: 22px;
  }
  .sync {
    margin: 0;
    padding: var(--fd-space-2) var(--fd-space-3);
    border-radius: var(--fd-radius-sm);
    background: var(--fd-warning-soft);
    color: var(--fd-warning-strong);
    font-size: var(--fd-text-sm);
    font-weight: 600;
  }
`;
