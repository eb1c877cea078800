// The Orders tab: four columns (New, Preparing, Ready, Out for delivery) with counts.
import { LitElement, css, html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { controls } from "@fd/ui-kit";
import { COLUMNS, type ColumnInfo } from "./board";
import { StoreController } from "./controller";
import { icons } from "./icons";
import type { TicketCard } from "./ticket-card";
import "./ticket-card";

export class KitchenBoard extends LitElement {
  private readonly store = new StoreController(this).store;

  static styles = [
    controls,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: 100%;
      }
      .notice {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: var(--fd-space-3);
        margin: var(--fd-space-3) var(--fd-space-4) 0;
        padding: var(--fd-space-2) var(--fd-space-4);
        border-radius: var(--fd-radius);
        background: var(--fd-danger-soft);
        color: var(--fd-danger-strong);
        font-weight: 600;
      }
      .notice svg {
        width: 22px;
        height: 22px;
        flex: none;
      }
      .notice span {
        flex: 1 1 auto;
      }
      .notice.sync {
        background: var(--fd-warning-soft);
        color: var(--fd-warning-strong);
      }
      .columns {
        flex: 1 1 auto;
        min-height: 0;
        display: grid;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        grid-template-rows: minmax(0, 1fr);
        gap: var(--fd-space-3);
        padding: var(--fd-space-3) var(--fd-space-4) var(--fd-space-4);
      }
      section {
        --accent: var(--fd-border-strong);
        display: flex;
        flex-direction: column;
        min-height: 0;
        background: var(--fd-surface-muted);
        border: 1px solid var(--fd-border);
        border-top: 6px solid var(--accent);
        border-radius: var(--fd-radius);
      }
      section.new {
        --accent: var(--kc-new);
      }
      section.preparing {
        --accent: var(--kc-preparing);
      }
      section.ready {
        --accent: var(--kc-ready);
      }
      section.out-for-delivery {
        --accent: var(--kc-out);
      }
      h2 {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--fd-space-2);
        margin: 0;
        padding: var(--fd-space-3) var(--fd-space-3) var(--fd-space-2);
        font-size: var(--fd-text-lg);
        font-weight: 800;
        color: var(--accent);
        white-space: nowrap;
      }
      h2 .title {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      h2:focus-visible {
        outline-offset: -3px;
      }
      .count {
        min-width: 2em;
        padding: 2px 10px;
        border-radius: 999px;
        background: var(--accent);
        color: #fff;
        font-size: var(--fd-text-md);
        text-align: center;
        font-variant-numeric: tabular-nums;
      }
      .count.zero {
        background: var(--fd-border);
        color: var(--fd-text-muted);
      }
      .list {
        flex: 1 1 auto;
        min-height: 0;
        overflow-y: auto;
        overscroll-behavior: contain;
        display: flex;
        flex-direction: column;
        gap: var(--fd-space-3);
        padding: var(--fd-space-1) var(--fd-space-3) var(--fd-space-3);
      }
      .empty {
        margin: var(--fd-space-4) 0;
        text-align: center;
        color: var(--fd-text-muted);
        font-size: var(--fd-text-sm);
      }
      /* tablet portrait and narrower: 2 x 2 */
      @media (max-width: 900px) {
        .columns {
          grid-template-columns: repeat(2, minmax(0, 1fr));
          grid-template-rows: repeat(2, minmax(0, 1fr));
        }
      }
      /* phones: one column after the other, the page scrolls */
      @media (max-width: 560px) {
        :host {
          height: auto;
        }
        .columns {
          grid-template-columns: 1fr;
          grid-template-rows: none;
        }
        .list {
          overflow: visible;
        }
      }
    `,
  ];

  render() {
    const k = this.store;
    return html`
      ${k.restaurant && !k.restaurant.isOpen
        ? html`<div class="notice" role="status">
            ${icons.alert}<span>The restaurant is closed: customers cannot place new orders.</span>
            <button class="btn small" type="button" @click=${() => void k.setOpen(true)}>Open now</button>
          </div>`
        : nothing}
      ${k.syncProblem && k.load === "ready"
        ? html`<div class="notice sync" role="status">
            ${icons.alert}<span>Could not refresh the orders: ${k.syncProblem}</span>
            <button class="btn small" type="button" @click=${() => k.refreshAll()}>${icons.refresh}Retry</button>
          </div>`
        : nothing}
      <div class="columns">${COLUMNS.map((column) => this.renderColumn(column))}</div>
    `;
  }

  private renderColumn(column: ColumnInfo) {
    const k = this.store;
    const tickets = k.board.column(column.key);
    const headingId = `heading-${column.slug}`;
    return html`
      <section class=${column.slug} data-testid="column-${column.slug}" aria-labelledby=${headingId}>
        <h2 id=${headingId} tabindex="-1">
          <span class="title">${column.title}</span>
          <span class="count ${tickets.length === 0 ? "zero" : ""}" aria-label="${tickets.length} orders"
            >${tickets.length}</span
          >
        </h2>
        <div class="list" role=${tickets.length ? "list" : nothing}>
          ${tickets.length === 0
            ? html`<p class="empty">${k.load === "loading" ? "Loading…" : column.empty}</p>`
            : nothing}
          ${repeat(
            tickets,
            (t) => t.orderId,
            (t) => html`<ticket-card
              role="listitem"
              data-order=${t.orderId}
              .ticket=${t}
              .now=${k.now}
              .fresh=${k.alerts.includes(t.orderId)}
              .pending=${k.pending.get(t.orderId)}
              .problem=${k.ticketProblems.get(t.orderId)}
            ></ticket-card>`,
          )}
        </div>
      </section>
    `;
  }

  /** Focus an order's card (or, when it left the board, the column it was in). */
  async focusTicket(orderId: string, action?: string, fallbackColumn = "new"): Promise<void> {
    await this.updateComplete;
    const card = this.renderRoot.querySelector<TicketCard>(`ticket-card[data-order="${CSS.escape(orderId)}"]`);
    if (card) {
      await card.updateComplete;
      card.scrollIntoView({ block: "nearest", behavior: "smooth" });
      if (!action || !card.focusAction(action)) card.focusCard();
      return;
    }
    this.renderRoot.querySelector<HTMLElement>(`#heading-${fallbackColumn}`)?.focus();
  }
}

customElements.define("kitchen-board", KitchenBoard);
