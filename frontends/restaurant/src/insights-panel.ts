// The Insights tab: how often customers open the menu, how many of them, how many orders
// the kitchen accepted, and the most ordered items (live, from the BFF's views); below,
// menu views per day from the event lake (<menu-views-card>).
import { LitElement, css, html, nothing } from "lit";
import { controls, formatClock } from "@fd/ui-kit";
import { POPULAR_TOP } from "./api";
import { StoreController } from "./controller";
import { icons } from "./icons";
import "./menu-views-card";
import { panel } from "./panel-styles";

const number = new Intl.NumberFormat("en-IE");

export class InsightsPanel extends LitElement {
  private readonly store = new StoreController(this).store;

  static styles = [
    controls,
    panel,
    css`
      .tiles {
        display: grid;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        gap: var(--fd-space-4);
        margin-bottom: var(--fd-space-4);
      }
      .tile {
        display: flex;
        flex-direction: column;
        gap: var(--fd-space-1);
        padding: var(--fd-space-4);
      }
      .tile .label {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
        font-size: var(--fd-text-sm);
        font-weight: 600;
        color: var(--fd-text-muted);
      }
      .tile .label svg {
        width: 20px;
        height: 20px;
        color: var(--tile, var(--fd-primary));
      }
      .tile .value {
        font-size: 2.4rem;
        font-weight: 800;
        line-height: 1.1;
        font-variant-numeric: tabular-nums;
      }
      .tile .value.top-item {
        font-size: var(--fd-text-xl);
        line-height: 1.2;
        padding: 0.25rem 0;
        overflow-wrap: anywhere;
      }
      .tile .hint {
        font-size: var(--fd-text-xs);
      }
      .head-actions {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: var(--fd-text-md);
      }
      th {
        text-align: left;
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
        font-weight: 600;
        padding: var(--fd-space-2) var(--fd-space-3);
        border-bottom: 1px solid var(--fd-border);
      }
      td {
        padding: var(--fd-space-3);
        border-bottom: 1px solid var(--fd-border);
        vertical-align: middle;
      }
      tr:last-child td {
        border-bottom: 0;
      }
      .rank {
        width: 3rem;
        color: var(--fd-text-muted);
        font-weight: 700;
      }
      .item {
        font-weight: 700;
      }
      .bar-cell {
        width: 40%;
      }
      .bar {
        height: 14px;
        border-radius: 999px;
        background: var(--fd-surface-muted);
        border: 1px solid var(--fd-border);
        overflow: hidden;
      }
      .bar span {
        display: block;
        height: 100%;
        background: linear-gradient(90deg, var(--kc-preparing), #5b8def);
        border-radius: 999px;
      }
      .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      th.num {
        text-align: right;
      }
      @media (max-width: 900px) {
        .tiles {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
        .bar-cell {
          width: 30%;
        }
      }
    `,
  ];

  render() {
    const k = this.store;
    const p = k.popularity;
    if (!p) {
      return html`<div class="page" data-testid="popularity">
        <div class="card empty">${k.load === "error" ? "Insights could not be loaded." : "Loading insights…"}</div>
      </div>`;
    }
    const top = p.items[0]?.quantity ?? 0;
    return html`<div class="page" data-testid="popularity">
      <div class="tiles">
        <div class="card tile" style="--tile: var(--kc-preparing)">
          <span class="label">${icons.eye}Menu views</span>
          <span class="value" data-testid="menu-views">${number.format(p.menuViews)}</span>
          <span class="hint">times customers opened the menu, all time</span>
        </div>
        <div class="card tile" style="--tile: var(--kc-out)">
          <span class="label">${icons.users}Distinct viewers</span>
          <span class="value" data-testid="viewers">${number.format(p.viewers)}</span>
          <span class="hint">different customers, all time</span>
        </div>
        <div class="card tile" style="--tile: var(--kc-ready)">
          <span class="label">${icons.receipt}Accepted orders</span>
          <span class="value" data-testid="orders">${number.format(p.orders)}</span>
          <span class="hint">orders the kitchen accepted</span>
        </div>
        <div class="card tile" style="--tile: var(--kc-new)">
          <span class="label">${icons.flame}Most ordered</span>
          <span class="value top-item">${p.items[0]?.name ?? "–"}</span>
          <span class="hint">${p.items[0] ? `${number.format(p.items[0].quantity)} portions` : "no orders yet"}</span>
        </div>
      </div>
      <section class="card" aria-labelledby="top-title">
        <div class="card-head">
          <h2 id="top-title">Most ordered</h2>
          <div class="head-actions">
            ${k.popularityAt ? html`<span class="meta">Updated ${formatClock(k.popularityAt, k.now)}</span>` : nothing}
            <button class="btn small" type="button" @click=${() => void k.refreshPopularity()}>
              ${icons.refresh}<span>Refresh</span>
            </button>
          </div>
        </div>
        ${p.items.length === 0
          ? html`<p class="empty">No orders yet: the most ordered items will show here.</p>`
          : html`<table>
              <caption class="visually-hidden">Top ${POPULAR_TOP} items by portions ordered</caption>
              <thead>
                <tr>
                  <th scope="col" class="rank">#</th>
                  <th scope="col">Item</th>
                  <th scope="col" class="bar-cell"><span class="visually-hidden">Share</span></th>
                  <th scope="col" class="num">Portions</th>
                  <th scope="col" class="num">Orders</th>
                </tr>
              </thead>
              <tbody>
                ${p.items.map(
                  (item, i) => html`<tr data-testid="popular-${item.menuItemId}">
                    <td class="rank">${i + 1}</td>
                    <td class="item">${item.name}</td>
                    <td class="bar-cell">
                      <div class="bar" aria-hidden="true">
                        <span style="width: ${top ? Math.max(4, Math.round((item.quantity / top) * 100)) : 0}%"></span>
                      </div>
                    </td>
                    <td class="num">${number.format(item.quantity)}</td>
                    <td class="num">${number.format(item.orders)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </section>
      <menu-views-card></menu-views-card>
    </div>`;
  }
}

customElements.define("insights-panel", InsightsPanel);
