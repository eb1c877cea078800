// The "Live" / "Reconnecting…" pill of an app's header, for the state of liveConnection
// (the kitchen console's look). Render `liveBadge(state)` and add `liveBadgeStyles` to the
// component's styles; `tone: "light"` is for a light header.
import { css, html } from "lit";
import { CONNECTION_LABELS, type ConnectionState } from "./connection";

export interface LiveBadgeOptions {
  tone?: "dark" | "light";
  /** data-testid of the pill (default "live-status") */
  testid?: string;
  /** shown as a tooltip */
  title?: string;
  /** hide the words below this width (the dot stays; the label remains for screen readers) */
  compact?: boolean;
}

export function liveBadge(state: ConnectionState, options: LiveBadgeOptions = {}) {
  const tone = options.tone ?? "dark";
  const kind = state === "live" ? "on" : state === "reconnecting" ? "reconnecting" : "off";
  return html`<span
    class="fd-live ${tone} ${kind} ${options.compact ? "compact" : ""}"
    role="status"
    data-testid=${options.testid ?? "live-status"}
    title=${options.title ?? "Connection to live updates"}
    ><span class="fd-live-dot" aria-hidden="true"></span><span class="fd-live-label">${CONNECTION_LABELS[state]}</span></span
  >`;
}

export const liveBadgeStyles = css`
  .fd-live {
    display: inline-flex;
    align-items: center;
    gap: var(--fd-space-2);
    min-height: var(--fd-control-height-sm);
    padding: 0 var(--fd-space-3);
    border-radius: 999px;
    font-size: var(--fd-text-sm);
    font-weight: 700;
    white-space: nowrap;
  }
  .fd-live-dot {
    width: 10px;
    height: 10px;
    flex: none;
    border-radius: 50%;
    background: #9aa4b1;
  }
  .fd-live.dark {
    background: rgb(255 255 255 / 0.08);
    color: var(--fd-inverse-text);
  }
  .fd-live.dark.on {
    color: #8ff0b8;
  }
  .fd-live.dark.reconnecting {
    color: #ffd27a;
    background: rgb(255 190 60 / 0.15);
  }
  .fd-live.light {
    background: var(--fd-surface-muted);
    color: var(--fd-text-muted);
    border: 1px solid var(--fd-border);
  }
  .fd-live.light.on {
    color: var(--fd-success-strong);
    background: var(--fd-success-soft);
    border-color: transparent;
  }
  .fd-live.light.reconnecting {
    color: var(--fd-warning-strong);
    background: var(--fd-warning-soft);
    border-color: transparent;
  }
  .fd-live.on .fd-live-dot {
    background: #35d07f;
    box-shadow: 0 0 0 3px rgb(53 208 127 / 0.25);
  }
  .fd-live.reconnecting .fd-live-dot {
    background: #ffb938;
    animation: fd-live-blink 1s steps(2, start) infinite;
  }
  @keyframes fd-live-blink {
    to {
      visibility: hidden;
    }
  }
  @media (max-width: 359px) {
    .fd-live.compact {
      padding: 0 var(--fd-space-2);
    }
    .fd-live.compact .fd-live-label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  }
`;
