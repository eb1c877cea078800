// One order on the board: number, customer, age, items, note, total, prep timing, driver,
// and the actions of its column (accept / reject in New, mark ready in Preparing).
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { controls, formatAge, formatClock, formatMinutes, formatMoney, minutesBetween, problemText, type Problem } from "@fd/ui-kit";

/** "just now", "4 min", "1 h 05 min": short enough for the card's top line. */
function shortAge(since: number, now: number): string {
  const m = minutesBetween(since, now);
  return m < 1 ? "now" : formatMinutes(m);
}
import type { Ticket } from "./api";
import { shortNumber } from "./board";
import { icons } from "./icons";
import { kitchen, type TicketAction } from "./store";

export interface TicketActionDetail {
  kind: "accept" | "reject";
  orderId: string;
  /** the button that asked, to give the focus back to */
  opener: HTMLElement;
}

export class TicketCard extends LitElement {
  declare ticket: Ticket;
  declare now: number;
  /** an unacknowledged new order: pulses */
  declare fresh: boolean;
  declare pending: TicketAction | undefined;
  declare problem: Problem | undefined;

  static properties = {
    ticket: { attribute: false },
    now: { type: Number },
    fresh: { type: Boolean, reflect: true },
    pending: { attribute: false },
    problem: { attribute: false },
  };

  constructor() {
    super();
    this.now = Date.now();
    this.fresh = false;
    this.pending = undefined;
    this.problem = undefined;
  }

  static styles = [
    controls,
    css`
      :host {
        display: block;
        container-type: inline-size;
        --accent: var(--fd-border-strong);
        --accent-soft: var(--fd-surface-muted);
      }
      :host([column="NEW"]) {
        --accent: var(--kc-new);
        --accent-soft: var(--kc-new-soft);
      }
      :host([column="PREPARING"]) {
        --accent: var(--kc-preparing);
        --accent-soft: var(--kc-preparing-soft);
      }
      :host([column="READY"]) {
        --accent: var(--kc-ready);
        --accent-soft: var(--kc-ready-soft);
      }
      :host([column="OUT_FOR_DELIVERY"]) {
        --accent: var(--kc-out);
        --accent-soft: var(--kc-out-soft);
      }
      article {
        position: relative;
        display: flex;
        flex-direction: column;
        gap: var(--fd-space-2);
        padding: var(--fd-space-3) var(--fd-space-3) var(--fd-space-3) calc(var(--fd-space-3) + 4px);
        background: var(--fd-surface);
        border: 1px solid var(--fd-border);
        border-radius: var(--fd-radius);
        box-shadow: var(--fd-shadow);
        overflow: hidden;
      }
      article::before {
        content: "";
        position: absolute;
        inset: 0 auto 0 0;
        width: 6px;
        background: var(--accent);
      }
      article:focus-visible {
        outline: 3px solid var(--fd-primary);
        outline-offset: 2px;
      }
      article.fresh {
        border-color: var(--kc-new);
        animation: pulse 1.4s ease-in-out infinite;
      }
      @keyframes pulse {
        0%,
        100% {
          box-shadow: 0 0 0 0 rgb(194 94 0 / 0.55), var(--fd-shadow);
          background: var(--fd-surface);
        }
        50% {
          box-shadow: 0 0 0 6px rgb(194 94 0 / 0.18), var(--fd-shadow);
          background: var(--kc-new-soft);
        }
      }
      article.late {
        border-color: var(--kc-late);
      }
      article.late::before {
        background: var(--kc-late);
      }
      .top {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        flex-wrap: wrap;
        gap: 0 var(--fd-space-2);
      }
      .number {
        margin: 0;
        font-family: var(--fd-font-mono);
        font-size: 1.6rem;
        font-weight: 800;
        letter-spacing: 0.02em;
        line-height: 1;
      }
      .number .hash {
        color: var(--fd-text-muted);
        font-weight: 600;
      }
      .age {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        font-size: var(--fd-text-sm);
        font-weight: 600;
        color: var(--fd-text-muted);
        white-space: nowrap;
      }
      .age svg {
        width: 15px;
        height: 15px;
      }
      /* narrow columns (4 across at 1024 px): keep number and age on one line */
      @container (max-width: 240px) {
        .number {
          font-size: 1.4rem;
        }
        .age svg {
          display: none;
        }
      }
      .customer {
        margin: 0;
        font-size: var(--fd-text-lg);
        font-weight: 700;
        line-height: 1.2;
        overflow-wrap: anywhere;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: var(--fd-space-2) 0;
        border-top: 1px dashed var(--fd-border);
        border-bottom: 1px dashed var(--fd-border);
        display: grid;
        gap: 4px;
      }
      li {
        display: grid;
        grid-template-columns: 2.4em 1fr;
        align-items: baseline;
        font-size: var(--fd-text-md);
        line-height: 1.25;
      }
      .qty {
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      li.many .qty {
        color: var(--fd-primary-strong);
      }
      .note {
        display: flex;
        gap: var(--fd-space-2);
        margin: 0;
        padding: var(--fd-space-2);
        border-radius: var(--fd-radius-sm);
        background: #fff8c5;
        border: 1px solid #e8d65c;
        font-size: var(--fd-text-sm);
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .note svg {
        width: 18px;
        height: 18px;
        flex: none;
      }
      .timing {
        display: flex;
        flex-direction: column;
        gap: 1px;
        padding: var(--fd-space-2) var(--fd-space-3);
        border-radius: var(--fd-radius-sm);
        background: var(--accent-soft);
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
      }
      .timing strong {
        font-size: var(--fd-text-lg);
        color: var(--fd-text);
      }
      .timing.calm strong {
        font-size: var(--fd-text-md);
      }
      .timing.late {
        background: var(--kc-late);
        color: #fff;
      }
      .timing.late strong {
        color: #fff;
      }
      .driver {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
        font-size: var(--fd-text-sm);
        overflow-wrap: anywhere;
      }
      .driver svg {
        width: 20px;
        height: 20px;
        flex: none;
        color: var(--kc-out);
      }
      .driver .who {
        display: flex;
        flex-direction: column;
        line-height: 1.2;
      }
      .driver strong {
        font-size: var(--fd-text-md);
      }
      .driver small {
        font-size: var(--fd-text-xs);
        color: var(--fd-text-muted);
      }
      .driver.waiting {
        color: var(--fd-text-muted);
        font-style: italic;
      }
      .driver.waiting svg {
        color: var(--fd-text-muted);
      }
      .foot {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
      }
      .total {
        font-size: var(--fd-text-md);
        font-weight: 700;
        color: var(--fd-text);
        font-variant-numeric: tabular-nums;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fd-space-2);
      }
      .actions .btn {
        flex: 1 1 auto;
        padding: 0 var(--fd-space-3);
      }
      .actions .btn.grow {
        flex: 2 1 auto;
      }
    `,
  ];

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("ticket")) this.setAttribute("column", this.ticket.column);
  }

  /** Focus the card itself (after a dialog about it closed). */
  focusCard(): void {
    this.renderRoot.querySelector<HTMLElement>("article")?.focus();
  }

  /** Focus the card's main action, or the card. */
  focusAction(name: string): boolean {
    const button = this.renderRoot.querySelector<HTMLElement>(`[data-testid="${name}"]`);
    if (!button) return false;
    button.focus();
    return true;
  }

  render() {
    const t = this.ticket;
    const number = shortNumber(t.orderId);
    const late = t.column === "PREPARING" && t.estimatedReadyAt !== null && this.now > t.estimatedReadyAt;
    const classes = ["card", this.fresh ? "fresh" : "", late ? "late" : ""].join(" ");
    return html`
      <article
        class=${classes}
        data-testid="ticket-${t.orderId}"
        tabindex="-1"
        aria-labelledby="number"
        aria-describedby="customer"
      >
        <div class="top">
          <h3 class="number" id="number"><span class="hash">#</span>${number}</h3>
          <span class="age" title="Placed at ${formatClock(t.placedAt, this.now)}">
            ${icons.clock}${shortAge(t.placedAt, this.now)}
          </span>
        </div>
        <p class="customer" id="customer">${t.customerName}</p>
        <ul aria-label="Items">
          ${t.items.map(
            (item) => html`<li class=${item.quantity > 1 ? "many" : ""}>
              <span class="qty">${item.quantity}×</span><span>${item.name}</span>
            </li>`,
          )}
        </ul>
        ${t.note ? html`<p class="note">${icons.note}<span>${t.note}</span></p>` : nothing} ${this.renderTiming(late)}
        ${this.renderDriver()}
        <div class="foot">
          <span>${t.itemCount} ${t.itemCount === 1 ? "item" : "items"}</span>
          <span class="total">${formatMoney(t.total)}</span>
        </div>
        ${this.renderActions()}
        ${this.problem
          ? html`<p class="problem" role="alert" data-testid="problem">${problemText(this.problem)}</p>`
          : nothing}
      </article>
    `;
  }

  private renderTiming(late: boolean) {
    const t = this.ticket;
    if (t.column === "PREPARING" && t.estimatedReadyAt !== null) {
      const left = Math.ceil((t.estimatedReadyAt - this.now) / 60_000);
      const over = Math.max(1, Math.floor((this.now - t.estimatedReadyAt) / 60_000));
      return html`<div class="timing ${late ? "late" : ""}" data-testid="timing">
        <strong>${late ? `Late by ${formatMinutes(over)}` : left < 1 ? "Due now" : `${formatMinutes(left)} left`}</strong>
        <span>Due ${formatClock(t.estimatedReadyAt, this.now)} · ${t.prepMinutes ?? "?"} min prep</span>
      </div>`;
    }
    if (t.column === "READY" && t.readyAt !== null) {
      return html`<div class="timing calm"><strong>Since ${formatClock(t.readyAt, this.now)}</strong>
        <span>${formatAge(t.readyAt, this.now)}</span></div>`;
    }
    if (t.column === "OUT_FOR_DELIVERY" && t.pickedUpAt !== null) {
      return html`<div class="timing calm"><strong>Picked up ${formatClock(t.pickedUpAt, this.now)}</strong>
        <span>${formatAge(t.pickedUpAt, this.now)}</span></div>`;
    }
    return nothing;
  }

  private renderDriver() {
    const t = this.ticket;
    if (t.driver) {
      return html`<div class="driver" data-testid="driver">
        ${icons.bike}<span class="who"><strong>${t.driver.name}</strong><small>Driver · ${t.driver.vehicle}</small></span>
      </div>`;
    }
    if (t.column === "READY" || t.column === "OUT_FOR_DELIVERY") {
      return html`<div class="driver waiting" data-testid="driver-waiting">${icons.hourglass}<span>Waiting for a driver</span></div>`;
    }
    return nothing;
  }

  private renderActions() {
    const t = this.ticket;
    const busy = this.pending !== undefined;
    if (t.column === "NEW") {
      return html`<div class="actions">
        <button class="btn success grow" type="button" data-testid="accept" ?disabled=${busy} @click=${this.ask("accept")}>
          ${icons.check}<span>${this.pending === "accept" ? "Accepting…" : "Accept"}</span>
        </button>
        <button class="btn danger-outline" type="button" data-testid="reject" ?disabled=${busy} @click=${this.ask("reject")}>
          ${icons.x}<span>${this.pending === "reject" ? "Rejecting…" : "Reject"}</span>
        </button>
      </div>`;
    }
    if (t.column === "PREPARING") {
      return html`<div class="actions">
        <button
          class="btn primary"
          type="button"
          data-testid="mark-ready"
          ?disabled=${busy}
          aria-describedby="number"
          @click=${() => void kitchen.markReady(t.orderId)}
        >
          ${icons.bag}<span>${this.pending === "ready" ? "Marking ready…" : "Mark ready"}</span>
        </button>
      </div>`;
    }
    return nothing;
  }

  private ask(kind: "accept" | "reject") {
    return (event: Event) => {
      const detail: TicketActionDetail = { kind, orderId: this.ticket.orderId, opener: event.currentTarget as HTMLElement };
      this.dispatchEvent(new CustomEvent("ticket-action", { detail, bubbles: true, composed: true }));
    };
  }
}

customElements.define("ticket-card", TicketCard);
