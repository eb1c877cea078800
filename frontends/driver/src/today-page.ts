// <today-page>: what the driver earned today (delivered ones count) and the day's
// deliveries, newest first, each with its time, route, status and earnings.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatClock, formatMoney, phoneLayout, uiIcons } from "@fd/ui-kit";
import type { Delivery } from "./api";
import { driverController } from "./controller";
import { orderNumber } from "./deliveries";
import { driverStyles } from "./styles";

const STATUS: Record<Delivery["status"], { text: string; tone: string }> = {
  ACCEPTED: { text: "To pick up", tone: "accent" },
  PICKED_UP: { text: "On the way", tone: "info" },
  DELIVERED: { text: "Delivered", tone: "success" },
};

export class TodayPage extends LitElement {
  private readonly store = driverController(this).store;

  static styles = [
    controls,
    phoneLayout,
    driverStyles,
    css`
      :host {
        display: grid;
        gap: var(--fd-space-4);
      }
      .sum {
        display: grid;
        gap: var(--fd-space-1);
        background: var(--fd-inverse-bg);
        color: var(--fd-inverse-text);
        border: 0;
      }
      .sum .kicker {
        color: var(--fd-inverse-muted);
      }
      .sum strong {
        font-size: 2.5rem;
        line-height: 1.1;
        font-variant-numeric: tabular-nums;
        color: #8ff0b8;
      }
      .sum span {
        color: var(--fd-inverse-muted);
      }
      ol {
        display: grid;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr auto;
        align-items: start;
        gap: var(--fd-space-1) var(--fd-space-3);
        padding: var(--fd-space-3) var(--fd-space-4);
        border-top: 1px solid var(--fd-border);
      }
      li:first-child {
        border-top: 0;
      }
      .time {
        font-weight: 800;
        font-variant-numeric: tabular-nums;
        min-width: 3em;
      }
      .what {
        display: grid;
        gap: 2px;
        min-width: 0;
      }
      .what strong,
      .what span {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .what span {
        color: var(--fd-text-muted);
        font-size: var(--fd-text-sm);
      }
      .right {
        display: grid;
        justify-items: end;
        gap: 4px;
      }
      .money {
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  render() {
    const s = this.store;
    if (s.todayState === "loading" || s.todayState === "idle") {
      return html`<div aria-busy="true" aria-label="Loading today" class="stack">
        <div class="skeleton" style="height: 120px"></div>
        <div class="skeleton" style="height: 180px"></div>
      </div>`;
    }
    if (s.todayState === "error" || !s.today) {
      return html`<section class="card card-body stack" role="alert">
        <p class="problem">${s.todayProblem ?? "Today's deliveries could not load."}</p>
        <button class="btn" type="button" @click=${() => void s.loadToday()}>${uiIcons.refresh}Try again</button>
      </section>`;
    }
    const today = s.today;
    const newest = [...today.deliveries].reverse();
    return html`<h1 class="page-title" tabindex="-1">Today</h1>
      ${s.todayProblem ? html`<p class="sync" role="status">${s.todayProblem} Showing what we had.</p>` : nothing}
      <section class="card card-body sum" aria-label="Today's earnings">
        <p class="kicker">Earned today</p>
        <strong data-testid="earnings-today">${formatMoney(today.earnings)}</strong>
        <span data-testid="delivered-today">${today.delivered} ${today.delivered === 1 ? "delivery" : "deliveries"} since midnight</span>
      </section>
      <h2 class="section-title">Deliveries</h2>
      ${newest.length === 0
        ? html`<section class="card empty" data-testid="no-history">
            ${uiIcons.receipt}
            <h3>No deliveries yet today</h3>
            <p>Deliveries you take show up here with what they earned.</p>
          </section>`
        : html`<ol class="card" data-testid="history">
            ${newest.map((d) => this.renderDelivery(d))}
          </ol>`}`;
  }

  private renderDelivery(d: Delivery) {
    const s = this.store;
    const status = STATUS[d.status];
    return html`<li data-testid="history-${d.id}">
      <span class="time">${formatClock(d.deliveredAt ?? d.acceptedAt, s.now)}</span>
      <span class="what">
        <strong>${d.restaurantName}</strong>
        <span>to ${d.dropOff.line1} · #${orderNumber(d.id)}</span>
      </span>
      <span class="right">
        <span class="money">${formatMoney(d.earnings)}</span>
        <span class="badge ${status.tone}">${status.text}</span>
      </span>
    </li>`;
  }
}

customElements.define("today-page", TodayPage);
