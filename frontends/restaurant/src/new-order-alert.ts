// The banner announcing new orders: stays until acknowledged or until the orders are
// handled (accepted / rejected). "Show" opens the board on the newest one.
import { LitElement, css, html, nothing } from "lit";
import { controls } from "@fd/ui-kit";
import { StoreController } from "./controller";
import { icons } from "./icons";
import { arrivalText, itemsSummary } from "./store";

export class NewOrderAlert extends LitElement {
  private readonly store = new StoreController(this).store;

  static styles = [
    controls,
    css`
      :host {
        display: block;
      }
      .banner {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: var(--fd-space-3) var(--fd-space-4);
        padding: var(--fd-space-3) var(--fd-space-5);
        background: var(--kc-new);
        color: #fff;
        box-shadow: inset 0 -3px 0 rgb(0 0 0 / 0.15);
      }
      .bell {
        display: grid;
        place-items: center;
        width: 44px;
        height: 44px;
        border-radius: 50%;
        background: rgb(255 255 255 / 0.2);
        flex: none;
        animation: ring 1.6s ease-in-out infinite;
      }
      .bell svg {
        width: 26px;
        height: 26px;
      }
      @keyframes ring {
        0%,
        60%,
        100% {
          transform: rotate(0);
        }
        10%,
        30%,
        50% {
          transform: rotate(-12deg);
        }
        20%,
        40% {
          transform: rotate(12deg);
        }
      }
      .text {
        flex: 1 1 260px;
        min-width: 0;
      }
      .title {
        margin: 0;
        font-size: var(--fd-text-lg);
        font-weight: 800;
        line-height: 1.2;
      }
      .detail {
        margin: 2px 0 0;
        font-size: var(--fd-text-sm);
        opacity: 0.95;
      }
      .actions {
        display: flex;
        gap: var(--fd-space-2);
      }
      .btn.on-alert {
        background: #fff;
        border-color: #fff;
        color: var(--kc-new);
      }
      .btn.on-alert:hover {
        background: #fff6eb;
      }
      .btn.outline {
        background: transparent;
        border-color: rgb(255 255 255 / 0.7);
        color: #fff;
      }
      .btn.outline:hover {
        background: rgb(255 255 255 / 0.12);
      }
      .btn:focus-visible {
        outline-color: #fff;
      }
    `,
  ];

  render() {
    const tickets = this.store.alertTickets();
    if (tickets.length === 0) return nothing;
    const latest = tickets[tickets.length - 1]!;
    const others = tickets.length - 1;
    return html`
      <div class="banner" role="alert" data-testid="new-order-alert">
        <span class="bell">${icons.bell}</span>
        <div class="text">
          <p class="title">${arrivalText(latest)}</p>
          <p class="detail">
            ${itemsSummary(latest)}${others > 0 ? ` · and ${others} more new ${others === 1 ? "order" : "orders"}` : ""}
          </p>
        </div>
        <div class="actions">
          <button class="btn outline" type="button" @click=${() => this.show(latest.orderId)}>Show</button>
          <button class="btn on-alert" type="button" data-testid="acknowledge" @click=${() => this.store.acknowledge()}>
            ${icons.check}<span>Acknowledge</span>
          </button>
        </div>
      </div>
    `;
  }

  private show(orderId: string): void {
    this.dispatchEvent(new CustomEvent("show-ticket", { detail: { orderId }, bubbles: true, composed: true }));
  }
}

customElements.define("new-order-alert", NewOrderAlert);
