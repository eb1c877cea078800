// Page layout for phone-first apps (customer, driver): a centred column of cards that
// scrolls with the page, room for a bottom bar, status badges, skeletons; and a native
// <dialog> shown as a bottom sheet on phones and a centred box on larger screens.
// Add `phoneLayout` (and `sheetDialog` where a dialog is used) after `controls`.
//
//   <div class="page"><section class="card"><div class="card-body">…</div></section></div>
//   <span class="badge success">Open</span>
//   <dialog class="sheet"><form method="dialog" class="sheet-body">…</form></dialog>
import { css } from "lit";

export const phoneLayout = css`
  .page {
    width: 100%;
    max-width: var(--fd-page-width, 720px);
    margin: 0 auto;
    padding: var(--fd-space-4) var(--fd-space-4) var(--fd-space-8);
    display: grid;
    gap: var(--fd-space-4);
    align-content: start;
  }
  .card {
    background: var(--fd-surface);
    border: 1px solid var(--fd-border);
    border-radius: var(--fd-radius-lg);
    box-shadow: var(--fd-shadow-sm);
    min-width: 0;
  }
  .card-body {
    padding: var(--fd-space-4);
  }
  .card-title {
    margin: 0 0 var(--fd-space-3);
    font-size: var(--fd-text-lg);
    line-height: 1.25;
  }
  .page-title {
    margin: 0;
    font-size: var(--fd-text-xl);
    line-height: 1.2;
  }
  .muted {
    color: var(--fd-text-muted);
  }
  .small {
    font-size: var(--fd-text-sm);
  }
  .stack {
    display: grid;
    gap: var(--fd-space-3);
    min-width: 0;
  }
  .spread {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--fd-space-3);
  }
  .num {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .divider {
    height: 1px;
    margin: var(--fd-space-3) 0;
    border: 0;
    background: var(--fd-border);
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 2px 10px;
    border-radius: 999px;
    font-size: var(--fd-text-xs);
    font-weight: 700;
    line-height: 1.6;
    white-space: nowrap;
    background: var(--fd-surface-muted);
    color: var(--fd-text-muted);
    border: 1px solid var(--fd-border);
  }
  .badge.success {
    background: var(--fd-success-soft);
    color: var(--fd-success-strong);
    border-color: transparent;
  }
  .badge.warning {
    background: var(--fd-warning-soft);
    color: var(--fd-warning-strong);
    border-color: transparent;
  }
  .badge.danger {
    background: var(--fd-danger-soft);
    color: var(--fd-danger-strong);
    border-color: transparent;
  }
  .badge.info {
    background: var(--fd-primary-soft);
    color: var(--fd-primary-strong);
    border-color: transparent;
  }
  .badge.accent {
    background: var(--fd-accent-soft);
    color: var(--fd-accent);
    border-color: transparent;
  }
  .empty {
    display: grid;
    justify-items: center;
    gap: var(--fd-space-3);
    padding: var(--fd-space-8) var(--fd-space-4);
    text-align: center;
    color: var(--fd-text-muted);
  }
  .empty svg {
    width: 44px;
    height: 44px;
    color: var(--fd-border-strong);
  }
  .empty h1,
  .empty h2,
  .empty h3 {
    margin: 0;
    color: var(--fd-text);
    font-size: var(--fd-text-lg);
  }
  .empty p {
    margin: 0;
  }
  .skeleton {
    border-radius: var(--fd-radius-sm);
    background: linear-gradient(90deg, #e6e9ee 25%, #f1f3f6 50%, #e6e9ee 75%);
    background-size: 200% 100%;
    animation: fd-shimmer 1.3s linear infinite;
  }
  @keyframes fd-shimmer {
    from {
      background-position: 200% 0;
    }
    to {
      background-position: -200% 0;
    }
  }
  .btn.block {
    width: 100%;
  }
  .btn.large {
    min-height: 52px;
    font-size: var(--fd-text-lg);
  }
  a.btn {
    text-decoration: none;
  }
`;

export const sheetDialog = css`
  dialog.sheet {
    width: min(100%, 480px);
    max-width: 100%;
    max-height: min(90vh, 100%);
    margin: auto auto 0;
    padding: 0;
    border: 0;
    border-radius: var(--fd-radius-lg) var(--fd-radius-lg) 0 0;
    background: var(--fd-surface);
    color: var(--fd-text);
    box-shadow: var(--fd-shadow-lg);
  }
  dialog.sheet::backdrop {
    background: rgb(16 24 40 / 0.55);
  }
  dialog.sheet[open] {
    animation: fd-sheet-in 0.18s ease-out;
  }
  @keyframes fd-sheet-in {
    from {
      transform: translateY(24px);
      opacity: 0;
    }
  }
  .sheet-body {
    display: grid;
    gap: var(--fd-space-4);
    margin: 0;
    padding: var(--fd-space-5) var(--fd-space-4) calc(var(--fd-space-4) + env(safe-area-inset-bottom, 0px));
  }
  .sheet-body h2 {
    margin: 0;
    font-size: var(--fd-text-xl);
    line-height: 1.2;
  }
  .sheet-body p {
    margin: 0;
  }
  .sheet-actions {
    display: flex;
    flex-wrap: wrap-reverse;
    gap: var(--fd-space-2);
  }
  .sheet-actions .btn {
    flex: 1 1 140px;
  }
  @media (min-width: 600px) {
    dialog.sheet {
      margin: auto;
      border-radius: var(--fd-radius-lg);
    }
    .sheet-body {
      padding: var(--fd-space-6);
    }
  }
`;
