// <menu-views-card>: the Insights tab's history of menu views per day, counted in the event
// lake (the BFF's menuViewHistory). A column per day (today last), the window's totals,
// when the lake was read, and a Refresh button. The server keeps a reading for a few
// seconds, so a refresh right after another may show the same figures.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatClock } from "@fd/ui-kit";
import { HISTORY_DAYS, type MenuViewDay } from "./api";
import { StoreController } from "./controller";
import { icons } from "./icons";
import { panel } from "./panel-styles";

const number = new Intl.NumberFormat("en-IE");
const weekday = new Intl.DateTimeFormat("en-IE", { weekday: "short", timeZone: "UTC" });
const dayMonth = new Intl.DateTimeFormat("en-IE", { day: "numeric", month: "short", timeZone: "UTC" });

/** "2025-06-14" as a Date at that day's UTC midnight (formatted in UTC: no shift). */
const dayOf = (date: string) => new Date(`${date}T00:00:00Z`);
const plural = (n: number, one: string, many: string) => `${number.format(n)} ${n === 1 ? one : many}`;

export class MenuViewsCard extends LitElement {
  private readonly store = new StoreController(this).store;

  static styles = [
    controls,
    panel,
    css`
      :host {
        height: auto;
        overflow: visible;
        margin-top: var(--fd-space-4);
      }
      .head-actions {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
      }
      .card-head p {
        margin: var(--fd-space-1) 0 0;
        color: var(--fd-text-muted);
        font-size: var(--fd-text-sm);
      }
      .totals {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fd-space-2) var(--fd-space-6);
        padding: 0 var(--fd-space-4) var(--fd-space-4);
        border-bottom: 1px solid var(--fd-border);
      }
      .total {
        display: flex;
        align-items: baseline;
        gap: var(--fd-space-2);
        color: var(--fd-text-muted);
        font-size: var(--fd-text-sm);
        font-weight: 600;
      }
      .total strong {
        color: var(--fd-text);
        font-size: var(--fd-text-2xl);
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      .chart {
        display: grid;
        grid-template-columns: repeat(var(--days), minmax(0, 1fr));
        gap: var(--fd-space-2);
        height: 220px;
        padding: var(--fd-space-4) var(--fd-space-4) var(--fd-space-3);
      }
      .day {
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: flex-end;
        gap: var(--fd-space-1);
        min-width: 0;
      }
      .value {
        font-size: var(--fd-text-sm);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .value.zero {
        color: var(--fd-text-muted);
        font-weight: 500;
      }
      .track {
        flex: 1;
        width: 100%;
        display: flex;
        align-items: flex-end;
        justify-content: center;
      }
      .bar {
        width: min(40px, 80%);
        min-height: 3px;
        border-radius: 6px 6px 2px 2px;
        background: linear-gradient(180deg, #5b8def, var(--kc-preparing));
      }
      .bar.zero {
        background: var(--fd-border);
      }
      .label {
        display: flex;
        flex-direction: column;
        align-items: center;
        line-height: 1.2;
        font-size: var(--fd-text-xs);
        color: var(--fd-text-muted);
        white-space: nowrap;
      }
      .today .label {
        color: var(--fd-text);
        font-weight: 700;
      }
      .problem {
        margin: 0 var(--fd-space-4) var(--fd-space-4);
      }
      @media (max-width: 900px) {
        .chart {
          gap: var(--fd-space-1);
        }
        .label .month {
          display: none;
        }
      }
    `,
  ];

  render() {
    const k = this.store;
    const history = k.menuViews;
    return html`<section class="card" aria-labelledby="history-title" data-testid="menu-views-history">
      <div class="card-head">
        <div>
          <h2 id="history-title">Menu views, last ${HISTORY_DAYS} days</h2>
          <p>Counted in the event lake: every time a customer opened your menu.</p>
        </div>
        <div class="head-actions">
          ${history
            ? html`<span class="meta" data-testid="history-read-at">Read ${formatClock(history.readAt, k.now)}</span>`
            : nothing}
          <button
            class="btn small"
            type="button"
            data-testid="refresh-history"
            ?disabled=${k.menuViewsLoading}
            @click=${() => void k.refreshMenuViews()}
          >
            ${icons.refresh}<span>${k.menuViewsLoading ? "Reading…" : "Refresh"}</span>
          </button>
        </div>
      </div>
      ${k.menuViewsProblem ? html`<p class="problem" role="alert">${k.menuViewsProblem}</p>` : nothing}
      ${history ? this.renderHistory(history.days) : html`<p class="empty">Reading the event lake…</p>`}
    </section>`;
  }

  private renderHistory(days: MenuViewDay[]) {
    const history = this.store.menuViews!;
    const top = Math.max(1, ...days.map((d) => d.views));
    const today = days.at(-1)?.date;
    return html`<div class="totals">
        <span class="total"><strong data-testid="history-views">${number.format(history.views)}</strong>menu views</span>
        <span class="total"><strong data-testid="history-viewers">${number.format(history.viewers)}</strong>customers</span>
        <span class="total"><strong data-testid="history-orders">${number.format(history.ordersPlaced)}</strong>orders placed</span>
      </div>
      <div class="chart" style="--days: ${days.length}" aria-hidden="true">
        ${days.map((day) => {
          const when = dayOf(day.date);
          const title = `${weekday.format(when)} ${dayMonth.format(when)}: ${plural(day.views, "menu view", "menu views")} by ${plural(day.viewers, "customer", "customers")}, ${plural(day.ordersPlaced, "order", "orders")} placed`;
          return html`<div class="day ${day.date === today ? "today" : ""}" data-testid="history-day-${day.date}" title=${title}>
            <span class="value ${day.views ? "" : "zero"}" data-testid="day-views">${number.format(day.views)}</span>
            <span class="track"><span class="bar ${day.views ? "" : "zero"}" style="height: ${(day.views / top) * 100}%"></span></span>
            <span class="label"><span>${day.date === today ? "Today" : weekday.format(when)}</span><span class="month">${dayMonth.format(when)}</span></span>
          </div>`;
        })}
      </div>
      <table class="visually-hidden">
        <caption>Menu views per day, last ${HISTORY_DAYS} days</caption>
        <thead>
          <tr><th scope="col">Day</th><th scope="col">Menu views</th><th scope="col">Customers</th><th scope="col">Orders placed</th></tr>
        </thead>
        <tbody>
          ${days.map(
            (day) => html`<tr>
              <th scope="row">${weekday.format(dayOf(day.date))} ${dayMonth.format(dayOf(day.date))}</th>
              <td>${day.views}</td>
              <td>${day.viewers}</td>
              <td>${day.ordersPlaced}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

customElements.define("menu-views-card", MenuViewsCard);
