// Styles shared by the Menu and Insights tabs: a scrolling page of cards.
import { css } from "lit";

export const panel = css`
  :host {
    display: block;
    height: 100%;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .page {
    max-width: 1280px;
    margin: 0 auto;
    padding: var(--fd-space-4) var(--fd-space-5) var(--fd-space-8);
  }
  .card {
    background: var(--fd-surface);
    border: 1px solid var(--fd-border);
    border-radius: var(--fd-radius-lg);
    box-shadow: var(--fd-shadow-sm);
    overflow: hidden;
  }
  .card-head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    flex-wrap: wrap;
    gap: var(--fd-space-2);
    padding: var(--fd-space-4) var(--fd-space-4) var(--fd-space-3);
  }
  .card-head h2 {
    margin: 0;
    font-size: var(--fd-text-xl);
  }
  .card-head .meta {
    color: var(--fd-text-muted);
    font-size: var(--fd-text-sm);
  }
  .card-body {
    padding: 0 var(--fd-space-4) var(--fd-space-4);
  }
  .empty {
    padding: var(--fd-space-6) var(--fd-space-4);
    text-align: center;
    color: var(--fd-text-muted);
  }
`;
