// A vertical status timeline (an order's steps, a delivery's stops): reached steps with
// their time, the current one highlighted, the ones to come greyed out, a failed end
// (rejected, cancelled) in red. Render `statusTimeline(steps)` and add `timelineStyles`.
//
//   statusTimeline([
//     { id: "PLACED", label: "Placed", at: 1700000000000, state: "done", testid: "step-PLACED" },
//     { id: "ACCEPTED", label: "Accepted", detail: "Ready around 14:35", at: …, state: "current" },
//     { id: "READY", label: "Ready", state: "upcoming" },
//   ], { label: "Order progress", testid: "timeline" })
import { css, html, nothing, type TemplateResult } from "lit";
import { formatClock } from "./time";

export type StepState = "done" | "current" | "upcoming" | "failed";

export interface TimelineStep {
  id: string;
  label: string;
  state: StepState;
  /** when the step was reached (epoch ms) */
  at?: number | null;
  /** a second line under the label */
  detail?: string | TemplateResult | null;
  /** data-testid of the step's item */
  testid?: string;
}

export interface TimelineOptions {
  /** accessible name of the list */
  label?: string;
  /** data-testid of the list */
  testid?: string;
  /** "now", for showing times of another day with their date */
  now?: number;
}

const MARKS: Record<StepState, TemplateResult> = {
  done: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 12.5l4 4 8-9" /></svg>`,
  current: html`<span class="fd-tl-pulse"></span>`,
  upcoming: html``,
  failed: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 7l10 10M17 7 7 17" /></svg>`,
};

const STATE_WORDS: Record<StepState, string> = {
  done: "done",
  current: "current step",
  upcoming: "to come",
  failed: "stopped here",
};

export function statusTimeline(steps: readonly TimelineStep[], options: TimelineOptions = {}) {
  const now = options.now ?? Date.now();
  return html`<ol class="fd-timeline" aria-label=${options.label ?? "Progress"} data-testid=${options.testid ?? nothing}>
    ${steps.map(
      (step) => html`<li
        class="fd-tl-step ${step.state}"
        data-testid=${step.testid ?? nothing}
        aria-current=${step.state === "current" ? "step" : nothing}
      >
        <span class="fd-tl-mark">${MARKS[step.state]}</span>
        <span class="fd-tl-text">
          <span class="fd-tl-label">${step.label}<span class="fd-tl-sr">, ${STATE_WORDS[step.state]}</span></span>
          ${step.detail ? html`<span class="fd-tl-detail">${step.detail}</span>` : nothing}
        </span>
        ${step.at ? html`<time class="fd-tl-time" datetime=${new Date(step.at).toISOString()}>${formatClock(step.at, now)}</time>` : nothing}
      </li>`,
    )}
  </ol>`;
}

export const timelineStyles = css`
  .fd-timeline {
    --fd-tl-mark: 26px;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .fd-tl-step {
    position: relative;
    display: grid;
    grid-template-columns: var(--fd-tl-mark) 1fr auto;
    align-items: start;
    column-gap: var(--fd-space-3);
    padding-bottom: var(--fd-space-4);
  }
  .fd-tl-step:last-child {
    padding-bottom: 0;
  }
  /* the line down to the next step */
  .fd-tl-step:not(:last-child)::before {
    content: "";
    position: absolute;
    left: calc(var(--fd-tl-mark) / 2 - 1.5px);
    top: var(--fd-tl-mark);
    bottom: 0;
    width: 3px;
    background: var(--fd-border);
  }
  .fd-tl-step.done:not(:last-child)::before {
    background: var(--fd-success);
  }
  .fd-tl-mark {
    position: relative;
    z-index: 1;
    display: grid;
    place-items: center;
    width: var(--fd-tl-mark);
    height: var(--fd-tl-mark);
    border-radius: 50%;
    border: 3px solid var(--fd-border-strong);
    background: var(--fd-surface);
  }
  .fd-tl-mark svg {
    width: 16px;
    height: 16px;
    fill: none;
    stroke: #fff;
    stroke-width: 3;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .done .fd-tl-mark {
    border-color: var(--fd-success);
    background: var(--fd-success);
  }
  .current .fd-tl-mark {
    border-color: var(--fd-primary);
    background: var(--fd-surface);
  }
  .fd-tl-pulse {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--fd-primary);
    animation: fd-tl-pulse 1.6s ease-in-out infinite;
  }
  @keyframes fd-tl-pulse {
    50% {
      box-shadow: 0 0 0 6px rgb(31 95 209 / 0.18);
    }
  }
  .failed .fd-tl-mark {
    border-color: var(--fd-danger);
    background: var(--fd-danger);
  }
  .upcoming .fd-tl-mark {
    border-style: dashed;
  }
  .fd-tl-text {
    display: flex;
    flex-direction: column;
    gap: 2px;
    min-width: 0;
    padding-top: 2px;
  }
  .fd-tl-label {
    font-weight: 700;
    line-height: 1.3;
  }
  .upcoming .fd-tl-label {
    font-weight: 600;
    color: var(--fd-text-muted);
  }
  .current .fd-tl-label {
    color: var(--fd-primary-strong);
  }
  .failed .fd-tl-label {
    color: var(--fd-danger-strong);
  }
  .fd-tl-detail {
    font-size: var(--fd-text-sm);
    color: var(--fd-text-muted);
    overflow-wrap: anywhere;
  }
  .fd-tl-time {
    padding-top: 3px;
    font-size: var(--fd-text-sm);
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    color: var(--fd-text-muted);
    white-space: nowrap;
  }
  .fd-tl-sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
