// <orders-page>: My orders, newest first, paged ("Load more"), those still in progress
// apart at the top. Each row opens the order's tracking page; statuses change live.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatClock, formatMoney, hashHref, phoneLayout, problemText, uiIcons } from "@fd/ui-kit";
import type { Order } from "./api";
import { shopController } from "./controller";
import { isActive, itemsSummary, SHORT_STATUS, STATUS } from "./orders";
import { shopStyles } from "./styles";

export class OrdersPage extends LitElement {
  private readonly store = shopController(this).store;

  static styles = [
    controls,
    phoneLayout,
    shopStyles,
    css`
      .group {
        display: grid;
        gap: var(--fd-space-2);
      }
      .group h2 {
        margin: 0;
        font-size: var(--fd-text-sm);
        font-weight: 800;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--fd-text-muted);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        overflow: hidden;
      }
      li + li {
        border-top: 1px solid var(--fd-border);
      }
      .row {
        display: grid;
        grid-template-columns: 1fr auto;
        align-items: center;
        gap: var(--fd-space-1) var(--fd-space-3);
        min-height: 72px;
        padding: var(--fd-space-3) var(--fd-space-3) var(--fd-space-3) var(--fd-space-4);
        color: inherit;
        text-decoration: none;
      }
      .row:hover {
        background: var(--fd-surface-muted);
      }
      .row:focus-visible {
        outline-offset: -3px;
      }
      .main {
        display: grid;
        gap: 3px;
        min-width: 0;
      }
      .name {
        font-weight: 800;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .figures {
        display: grid;
        justify-items: end;
        gap: 4px;
      }
      .total {
        font-weight: 700;
      }
      .what {
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .when {
        font-size: var(--fd-text-xs);
        color: var(--fd-text-muted);
      }
      .side {
        display: flex;
        align-items: center;
        gap: var(--fd-space-1);
        font-weight: 700;
      }
      .side svg {
        width: 20px;
        height: 20px;
        color: var(--fd-text-muted);
      }
      .active .row {
        box-shadow: inset 4px 0 0 var(--fd-primary);
      }
      .more {
        display: grid;
        justify-items: center;
        gap: var(--fd-space-2);
      }
      .sk {
        height: 240px;
        border-radius: var(--fd-radius-lg);
      }
    `,
  ];

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  render() {
    const s = this.store;
    return html`<div class="page">
      <div class="spread">
        <h1 class="page-title" tabindex="-1">My orders</h1>
        ${s.me ? html`<span class="small muted">${s.me.name}</span>` : nothing}
      </div>
      ${s.syncProblem ? html`<p class="sync" role="status" data-testid="sync-problem">${uiIcons.alert}${s.syncProblem}</p>` : nothing}
      ${this.renderBody()}
    </div>`;
  }

  private renderBody() {
    const s = this.store;
    if (s.ordersState === "error") {
      return html`<section class="card card-body failed" role="alert">
        <h2>Your orders could not be loaded</h2>
        <p class="problem" data-testid="problem">${s.ordersProblem ? problemText(s.ordersProblem) : ""}</p>
        <button class="btn primary" type="button" @click=${() => void s.loadOrders("reset")}>${uiIcons.refresh}Try again</button>
      </section>`;
    }
    if (!s.orderIds || s.ordersState !== "ready") {
      return html`<div class="skeleton sk" aria-busy="true" aria-label="Loading your orders"></div>`;
    }
    const orders = s.orderIds.map((id) => s.orders.get(id)).filter((o): o is Order => o !== undefined);
    if (orders.length === 0) {
      return html`<section class="card empty">
        ${uiIcons.receipt}
        <h2>No orders yet</h2>
        <p>Your orders show up here, and you can follow each one live.</p>
        <a class="btn primary" href=${hashHref()}>Browse restaurants</a>
      </section>`;
    }
    const active = orders.filter(isActive);
    const past = orders.filter((o) => !isActive(o));
    return html`
      ${active.length
        ? html`<section class="group" aria-labelledby="active-title">
            <h2 id="active-title">In progress</h2>
            <ul class="card active">
              ${active.map((o) => this.renderRow(o))}
            </ul>
          </section>`
        : nothing}
      ${past.length
        ? html`<section class="group" aria-labelledby="past-title">
            <h2 id="past-title">Past orders</h2>
            <ul class="card">
              ${past.map((o) => this.renderRow(o))}
            </ul>
          </section>`
        : nothing}
      ${s.ordersCursor || s.ordersProblem
        ? html`<div class="more">
            ${s.ordersProblem ? html`<p class="problem" role="alert" data-testid="problem">${problemText(s.ordersProblem)}</p>` : nothing}
            ${s.ordersCursor
              ? html`<button
                  class="btn"
                  type="button"
                  data-testid="load-more"
                  ?disabled=${s.ordersMore}
                  aria-busy=${s.ordersMore ? "true" : "false"}
                  @click=${() => void s.loadOrders("more")}
                >
                  ${s.ordersMore ? "Loading…" : "Load more orders"}
                </button>`
              : nothing}
          </div>`
        : nothing}
    `;
  }

  private renderRow(order: Order) {
    const s = this.store;
    const info = STATUS[order.status];
    const count = order.items.reduce((n, i) => n + i.quantity, 0);
    return html`<li>
      <a class="row" href=${hashHref("orders", order.id)} data-testid="order-${order.id}">
        <span class="main">
          <span class="name">${order.restaurantName}</span>
          <span class="what">${itemsSummary(order)}</span>
          <span class="when">${formatClock(order.placedAt, s.now)} · ${count} ${count === 1 ? "item" : "items"}</span>
        </span>
        <span class="side">
          <span class="figures">
            <span class="badge ${info.tone}" data-testid="order-row-status">${SHORT_STATUS[order.status]}</span>
            <span class="num total">${formatMoney(order.total)}</span>
          </span>
          ${uiIcons.next}
        </span>
      </a>
    </li>`;
  }
}

customElements.define("orders-page", OrdersPage);
