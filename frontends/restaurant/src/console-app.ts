// <kitchen-console>: the app shell. Header, tabs (Orders / Menu / Insights), the new-order
// banner, the active tab's panel and the accept/reject dialog.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatClock, requireSignIn } from "@fd/ui-kit";
import { StoreController } from "./controller";
import type { DecisionDialog, DialogClosedDetail } from "./decision-dialog";
import type { KitchenBoard } from "./kitchen-board";
import type { TicketActionDetail } from "./ticket-card";
import type { Tab } from "./store";
import "./console-header";
import "./new-order-alert";
import "./kitchen-board";
import "./menu-editor";
import "./insights-panel";
import "./decision-dialog";

const TABS: { id: Tab; label: string }[] = [
  { id: "orders", label: "Orders" },
  { id: "menu", label: "Menu" },
  { id: "insights", label: "Insights" },
];
const TITLE = "Kitchen console";

export class KitchenConsole extends LitElement {
  private readonly store = new StoreController(this).store;
  /** one instance per tab, kept while another tab shows (forms keep what was typed) */
  private readonly panels: Record<Tab, HTMLElement> = {
    orders: document.createElement("kitchen-board"),
    menu: document.createElement("menu-editor"),
    insights: document.createElement("insights-panel"),
  };

  static styles = [
    controls,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        min-height: 0;
        background: var(--fd-bg);
      }
      .tabs {
        display: flex;
        align-items: stretch;
        gap: var(--fd-space-1);
        padding: 0 var(--fd-space-4);
        background: var(--fd-surface);
        border-bottom: 1px solid var(--fd-border);
      }
      [role="tab"] {
        position: relative;
        display: inline-flex;
        align-items: center;
        gap: var(--fd-space-2);
        min-height: 52px;
        padding: 0 var(--fd-space-5);
        border: 0;
        background: none;
        font: inherit;
        font-size: var(--fd-text-lg);
        font-weight: 700;
        color: var(--fd-text-muted);
        cursor: pointer;
      }
      [role="tab"]:hover {
        color: var(--fd-text);
        background: var(--fd-surface-muted);
      }
      [role="tab"][aria-selected="true"] {
        color: var(--fd-primary-strong);
      }
      [role="tab"][aria-selected="true"]::after {
        content: "";
        position: absolute;
        left: var(--fd-space-3);
        right: var(--fd-space-3);
        bottom: 0;
        height: 4px;
        border-radius: 4px 4px 0 0;
        background: var(--fd-primary);
      }
      [role="tab"]:focus-visible {
        outline-offset: -4px;
      }
      .badge {
        min-width: 1.6em;
        padding: 1px 7px;
        border-radius: 999px;
        background: var(--kc-new);
        color: #fff;
        font-size: var(--fd-text-sm);
        text-align: center;
      }
      .clock {
        margin-left: auto;
        align-self: center;
        font-size: var(--fd-text-xl);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        color: var(--fd-text-muted);
      }
      main {
        flex: 1 1 auto;
        min-height: 0;
        position: relative;
        overflow: hidden;
      }
      .failed {
        max-width: 560px;
        margin: var(--fd-space-8) auto;
        padding: var(--fd-space-6);
        background: var(--fd-surface);
        border-radius: var(--fd-radius-lg);
        box-shadow: var(--fd-shadow);
        display: grid;
        gap: var(--fd-space-4);
        justify-items: start;
      }
      .failed h2 {
        margin: 0;
      }
      @media (max-width: 560px) {
        :host {
          height: auto;
          min-height: 100%;
        }
        main {
          overflow: visible;
        }
        [role="tab"] {
          padding: 0 var(--fd-space-3);
        }
        .clock {
          display: none;
        }
      }
    `,
  ];

  constructor() {
    super();
    this.addEventListener("ticket-action", (e) => this.onTicketAction(e as CustomEvent<TicketActionDetail>));
    this.addEventListener("dialog-closed", (e) => void this.onDialogClosed(e as CustomEvent<DialogClosedDetail>));
    this.addEventListener("show-ticket", (e) => void this.showTicket((e as CustomEvent<{ orderId: string }>).detail.orderId));
  }

  connectedCallback(): void {
    super.connectedCallback();
    requireSignIn();
    this.store.start();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.store.stop();
  }

  protected updated(): void {
    const n = this.store.newCount;
    const title = n > 0 ? `(${n}) ${TITLE}` : TITLE;
    if (document.title !== title) document.title = title;
  }

  render() {
    const k = this.store;
    return html`
      <console-header></console-header>
      <nav class="tabs" role="tablist" aria-label="Console sections" @keydown=${this.tabKey}>
        ${TABS.map(
          (tab) => html`<button
            role="tab"
            type="button"
            id="tab-${tab.id}"
            data-testid="tab-${tab.id}"
            aria-selected=${k.tab === tab.id ? "true" : "false"}
            aria-controls="panel"
            @click=${() => k.setTab(tab.id)}
          >
            ${tab.label}
            ${tab.id === "orders" && k.newCount > 0
              ? html`<span class="badge" aria-label="${k.newCount} new">${k.newCount}</span>`
              : nothing}
          </button>`,
        )}
        <span class="clock" aria-hidden="true">${formatClock(k.now, k.now)}</span>
      </nav>
      <new-order-alert></new-order-alert>
      <main id="panel" role="tabpanel" aria-labelledby="tab-${k.tab}">
        ${k.load === "error" ? this.renderFailed() : this.panels[k.tab]}
      </main>
      <decision-dialog></decision-dialog>
    `;
  }

  private renderFailed() {
    return html`<div class="failed" role="alert">
      <h2>The console could not load</h2>
      <p class="problem" data-testid="problem">${this.store.loadProblem}</p>
      <button class="btn primary" type="button" @click=${() => void this.store.loadEverything()}>Try again</button>
    </div>`;
  }

  /** Left/Right/Home/End move between the tabs. */
  private tabKey(event: KeyboardEvent): void {
    const index = TABS.findIndex((t) => t.id === this.store.tab);
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % TABS.length,
      ArrowLeft: (index - 1 + TABS.length) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = TABS[next]!;
    this.store.setTab(tab.id);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab.id}`)?.focus());
  }

  private dialog(): DecisionDialog | null {
    return this.renderRoot.querySelector("decision-dialog");
  }

  private board(): KitchenBoard {
    return this.panels.orders as KitchenBoard;
  }

  private onTicketAction(event: CustomEvent<TicketActionDetail>): void {
    const { kind, orderId, opener } = event.detail;
    void this.dialog()?.open(kind, orderId, opener);
  }

  private async onDialogClosed(event: CustomEvent<DialogClosedDetail>): Promise<void> {
    const { orderId, opener, done } = event.detail;
    if (!done && opener?.isConnected) {
      opener.focus();
      return;
    }
    await this.board().focusTicket(orderId, undefined, "new");
  }

  private async showTicket(orderId: string): Promise<void> {
    this.store.setTab("orders");
    await this.updateComplete;
    await this.board().focusTicket(orderId, "accept");
  }
}

customElements.define("kitchen-console", KitchenConsole);
