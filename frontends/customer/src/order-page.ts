// <order-page>: following one order live. The status as a headline with a sentence, the
// estimated ready time once the kitchen accepted, the reason of a rejection or cancel, the
// map (restaurant, drop-off, the driver's dot and distance) while it is on its way, the
// driver, the timeline of steps with their times, and what was ordered. "Cancel order"
// (with a reason) while the kitchen has not decided; a Conflict (it just did) is shown.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import {
  BoxWidthController,
  controls,
  formatAge,
  formatClock,
  formatMinutes,
  formatMoney,
  hashHref,
  phoneLayout,
  problemText,
  routeMap,
  routeMapStyles,
  sheetDialog,
  statusTimeline,
  timelineStyles,
  uiIcons,
  vehicleIcon,
  distanceKm,
} from "@fd/ui-kit";
import type { Order } from "./api";
import { shopController } from "./controller";
import { isOnItsWay, orderNumber, STATUS, statusSentence, timelineSteps } from "./orders";
import { shopStyles } from "./styles";

const REASON_MAX = 200;
const REASON_PICKS = ["Changed my mind", "Ordered by mistake", "Wrong address"];

/** "0.4 km", "2.8 km", "12 km": always in km, like the server's distanceKm. */
export function kmText(km: number): string {
  return km < 10 ? `${Math.max(0, km).toFixed(1)} km` : `${Math.round(km)} km`;
}

export class OrderPage extends LitElement {
  private readonly store = shopController(this).store;
  /** the map is drawn at the width of its card (1 unit = 1 px) */
  private readonly mapBox = new BoxWidthController(this, ".map-card");
  declare orderId: string;
  declare reason: string;
  declare askingCancel: boolean;

  static properties = {
    orderId: { attribute: false },
    reason: { state: true },
    askingCancel: { state: true },
  };

  constructor() {
    super();
    this.orderId = "";
    this.reason = "";
    this.askingCancel = false;
  }

  static styles = [
    controls,
    phoneLayout,
    sheetDialog,
    shopStyles,
    timelineStyles,
    routeMapStyles,
    css`
      .status {
        --tone: var(--fd-primary);
        --tone-soft: var(--fd-primary-soft);
        position: relative;
        display: grid;
        gap: var(--fd-space-2);
        overflow: hidden;
        border-top: 6px solid var(--tone);
      }
      .status.warning {
        --tone: var(--fd-warning);
        --tone-soft: var(--fd-warning-soft);
      }
      .status.accent {
        --tone: var(--fd-accent);
        --tone-soft: var(--fd-accent-soft);
      }
      .status.success {
        --tone: var(--fd-success);
        --tone-soft: var(--fd-success-soft);
      }
      .status.danger {
        --tone: var(--fd-danger);
        --tone-soft: var(--fd-danger-soft);
      }
      .overline {
        margin: 0;
        font-size: var(--fd-text-sm);
        font-weight: 600;
        color: var(--fd-text-muted);
      }
      .overline .no {
        font-family: var(--fd-font-mono);
      }
      .headline {
        margin: 0;
        font-size: var(--fd-text-2xl);
        line-height: 1.15;
        color: var(--fd-text);
      }
      .kicker {
        display: block;
        margin-bottom: 2px;
        font-size: var(--fd-text-sm);
        font-weight: 800;
        letter-spacing: 0.04em;
        text-transform: uppercase;
        color: var(--tone);
      }
      .sentence {
        margin: 0;
        font-size: var(--fd-text-md);
      }
      .eta {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
        margin: var(--fd-space-1) 0 0;
        padding: var(--fd-space-3);
        border-radius: var(--fd-radius);
        background: var(--tone-soft);
      }
      .eta svg {
        width: 28px;
        height: 28px;
        flex: none;
        color: var(--tone);
      }
      .eta strong {
        display: block;
        font-size: var(--fd-text-xl);
        line-height: 1.1;
        font-variant-numeric: tabular-nums;
      }
      .eta span {
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
      }
      .reason {
        margin: 0;
        padding: var(--fd-space-2) var(--fd-space-3);
        border-radius: var(--fd-radius-sm);
        background: var(--fd-danger-soft);
        color: var(--fd-danger-strong);
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .status .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fd-space-2);
        margin-top: var(--fd-space-1);
      }
      .map-card {
        overflow: hidden;
      }
      .map-card .fd-map {
        border: 0;
        border-radius: 0;
      }
      .map-foot {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
        padding: var(--fd-space-3) var(--fd-space-4);
        border-top: 1px solid var(--fd-border);
      }
      .map-foot p {
        margin: 0;
      }
      .map-foot strong {
        font-size: var(--fd-text-lg);
        font-variant-numeric: tabular-nums;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fd-space-1) var(--fd-space-3);
        margin: 0;
        padding: 0 var(--fd-space-4) var(--fd-space-3);
        list-style: none;
        font-size: var(--fd-text-xs);
        color: var(--fd-text-muted);
      }
      .legend li {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
      }
      .driver {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
      }
      .avatar {
        display: grid;
        place-items: center;
        width: 52px;
        height: 52px;
        flex: none;
        border-radius: 50%;
        background: var(--fd-accent-soft);
        color: var(--fd-accent);
      }
      .avatar svg {
        width: 28px;
        height: 28px;
      }
      .driver p {
        margin: 0;
      }
      .driver .name {
        font-size: var(--fd-text-lg);
        font-weight: 800;
      }
      .vehicle::first-letter {
        text-transform: uppercase;
      }
      .items {
        list-style: none;
        margin: 0 0 var(--fd-space-3);
        padding: 0;
        display: grid;
        gap: var(--fd-space-2);
      }
      .items li {
        display: grid;
        grid-template-columns: 2.2em 1fr auto;
        gap: var(--fd-space-2);
      }
      .qty {
        font-weight: 800;
        color: var(--fd-text-muted);
      }
      .totals {
        display: grid;
        gap: var(--fd-space-1);
        margin: 0;
      }
      .totals div {
        display: flex;
        justify-content: space-between;
      }
      .totals dt {
        color: var(--fd-text-muted);
      }
      .totals dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      .totals .grand {
        margin-top: var(--fd-space-1);
        padding-top: var(--fd-space-2);
        border-top: 1px solid var(--fd-border);
        font-weight: 800;
      }
      .totals .grand dt {
        color: var(--fd-text);
      }
      .meta {
        display: grid;
        gap: var(--fd-space-3);
        margin: var(--fd-space-4) 0 0;
      }
      .meta div {
        display: flex;
        gap: var(--fd-space-2);
      }
      .meta svg {
        width: 18px;
        height: 18px;
        flex: none;
        margin-top: 2px;
        color: var(--fd-text-muted);
      }
      .meta dt {
        font-size: var(--fd-text-xs);
        font-weight: 700;
        color: var(--fd-text-muted);
        text-transform: uppercase;
        letter-spacing: 0.03em;
      }
      .meta dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .two {
        display: grid;
        gap: var(--fd-space-4);
        align-items: start;
      }
      @media (min-width: 720px) {
        .two {
          grid-template-columns: 1fr 1fr;
        }
      }
      .picks {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fd-space-2);
      }
      .pick {
        min-height: var(--fd-control-height-sm);
        padding: 0 var(--fd-space-3);
        border: 1px solid var(--fd-border-strong);
        border-radius: 999px;
        background: var(--fd-surface);
        font: inherit;
        font-size: var(--fd-text-sm);
        font-weight: 600;
        cursor: pointer;
      }
      .pick[aria-pressed="true"] {
        border-color: var(--fd-primary);
        background: var(--fd-primary-soft);
        color: var(--fd-primary-strong);
      }
      .late {
        color: var(--fd-warning-strong);
        font-weight: 600;
      }
      .sk-status {
        height: 160px;
        border-radius: var(--fd-radius-lg);
      }
      .sk-box {
        height: 240px;
        border-radius: var(--fd-radius-lg);
      }
    `,
  ];

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("orderId")) {
      this.askingCancel = false;
      this.reason = "";
    }
  }

  protected updated(): void {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>("#cancel");
    if (!dialog) return;
    if (this.askingCancel && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLInputElement>("input")?.focus();
    } else if (!this.askingCancel && dialog.open) dialog.close();
  }

  render() {
    const s = this.store;
    const order = s.orders.get(this.orderId);
    const state = s.orderState.get(this.orderId);
    const back = html`<a class="back" href=${hashHref("orders")}>${uiIcons.back}My orders</a>`;
    if (!order) {
      if (state === "missing") {
        return html`<div class="page">${back}
          <section class="card empty">
            ${uiIcons.receipt}
            <h1 class="page-title" tabindex="-1">Order not found</h1>
            <p>This order does not exist, or it is not yours.</p>
            <a class="btn primary" href=${hashHref("orders")}>See my orders</a>
          </section>
        </div>`;
      }
      if (state === "error") {
        const problem = s.orderProblem.get(this.orderId);
        return html`<div class="page">${back}
          <section class="card card-body failed" role="alert">
            <h1 class="page-title" tabindex="-1">The order could not be loaded</h1>
            <p class="problem" data-testid="problem">${problem ? problemText(problem) : ""}</p>
            <button class="btn primary" type="button" @click=${() => void s.loadOrder(this.orderId)}>${uiIcons.refresh}Try again</button>
          </section>
        </div>`;
      }
      return html`<div class="page" aria-busy="true" aria-label="Loading the order">
        ${back}
        <div class="skeleton sk-status"></div>
        <div class="skeleton sk-box"></div>
      </div>`;
    }
    return html`<div class="page">
      ${back}
      ${s.syncProblem ? html`<p class="sync" role="status" data-testid="sync-problem">${uiIcons.alert}${s.syncProblem}</p>` : nothing}
      ${this.renderStatus(order)} ${this.renderMap(order)} ${this.renderDriver(order)}
      <div class="two">
        <section class="card card-body" aria-labelledby="progress-title">
          <h2 class="card-title" id="progress-title">Progress</h2>
          ${statusTimeline(timelineSteps(order, s.now), { label: "Order progress", testid: "timeline", now: s.now })}
        </section>
        ${this.renderItems(order)}
      </div>
      ${this.renderCancelDialog(order)}
    </div>`;
  }

  private renderStatus(order: Order) {
    const s = this.store;
    const info = STATUS[order.status];
    const problem = s.cancelProblem.get(order.id);
    return html`<section class="card card-body status ${info.tone}" aria-labelledby="status-title">
      <p class="overline">
        <span class="no">#${orderNumber(order.id)}</span> · ${order.restaurantName} · ${formatClock(order.placedAt, s.now)}
      </p>
      <h1 class="headline" id="status-title" tabindex="-1" data-testid="order-status" aria-live="polite">
        ${info.kicker ? html`<span class="kicker">${info.kicker}<span class="visually-hidden">: </span></span>` : nothing}${info.title}
      </h1>
      <p class="sentence">${statusSentence(order)}</p>
      ${order.status === "ACCEPTED" && order.estimatedReadyAt ? this.renderEta(order.estimatedReadyAt, order.prepMinutes) : nothing}
      ${order.status === "REJECTED"
        ? html`<p class="reason" data-testid="reject-reason">Reason: ${order.rejectReason || "No reason given"}</p>`
        : nothing}
      ${order.status === "CANCELLED"
        ? html`<p class="reason" data-testid="cancel-reason-text">Reason: ${order.cancelReason || "No reason given"}</p>`
        : nothing}
      ${problem ? html`<p class="problem" role="alert" data-testid="problem">${problemText(problem)}</p>` : nothing}
      ${order.canCancel
        ? html`<div class="actions">
            <button
              class="btn danger-outline"
              type="button"
              data-testid="cancel-order"
              ?disabled=${s.cancelling === order.id}
              @click=${() => this.askCancel()}
            >
              ${uiIcons.x}${s.cancelling === order.id ? "Cancelling…" : "Cancel order"}
            </button>
          </div>`
        : nothing}
    </section>`;
  }

  private renderEta(at: number, prepMinutes: number | null) {
    const now = this.store.now;
    const left = Math.ceil((at - now) / 60_000);
    return html`<div class="eta" data-testid="estimated-ready">
      ${uiIcons.clock}
      <div>
        <span>Estimated ready at</span>
        <strong>${formatClock(at, now)}</strong>
        <span class=${left < 0 ? "late" : ""}
          >${left > 0 ? `in ${formatMinutes(left)}` : left === 0 ? "any minute now" : "running a little late"}${prepMinutes
            ? ` · ${prepMinutes} min preparation`
            : ""}</span
        >
      </div>
    </div>`;
  }

  private renderMap(order: Order) {
    if (!isOnItsWay(order) || !order.pickupAddress) return nothing;
    const s = this.store;
    const position = order.driverPosition;
    const pickup = order.pickupAddress.location;
    const dropOff = order.deliveryAddress.location;
    const km = position ? position.distanceKm : distanceKm(pickup, dropOff);
    return html`<section class="card map-card" aria-labelledby="map-title">
      <h2 class="visually-hidden" id="map-title">Map</h2>
      ${routeMap({
        pickup: { ...pickup, label: order.restaurantName },
        dropOff: { ...dropOff, label: "You" },
        driver: position ? position.location : null,
        distanceText: kmText(km),
        testid: "map",
        width: this.mapBox.width,
        height: this.mapBox.width < 480 ? 210 : 250,
      })}
      <ul class="legend" aria-hidden="true">
        <li><span class="dot" style="background:#c25e00"></span>Restaurant</li>
        <li><span class="dot" style="background:var(--fd-success)"></span>You</li>
        ${position ? html`<li><span class="dot" style="background:var(--fd-accent)"></span>${order.driver?.name ?? "Driver"}</li>` : nothing}
      </ul>
      <div class="map-foot">
        ${position
          ? html`<p data-testid="driver-distance">
              <strong>${kmText(position.distanceKm)}</strong> away
              <span class="small muted">· ${order.driver?.name ?? "Your driver"}, updated ${formatAge(position.at, s.now)}</span>
            </p>`
          : html`<p class="small muted">
              ${order.driver
                ? `The map shows ${order.driver.name} as soon as their location comes in.`
                : `${order.restaurantName} is ${kmText(km)} from you.`}
            </p>`}
      </div>
    </section>`;
  }

  private renderDriver(order: Order) {
    const driver = order.driver;
    if (!driver || order.status === "CANCELLED" || order.status === "REJECTED") return nothing;
    const role =
      order.status === "DELIVERED" ? "Delivered by" : order.status === "PICKED_UP" ? "On the way to you" : "Your driver";
    return html`<section class="card card-body driver" aria-label="Your driver">
      <span class="avatar" aria-hidden="true">${vehicleIcon(driver.vehicle)}</span>
      <div>
        <p class="small muted">${role}</p>
        <p class="name" data-testid="driver-name">${driver.name}</p>
        <p class="small muted vehicle" data-testid="driver-vehicle">${driver.vehicle}</p>
      </div>
    </section>`;
  }

  private renderItems(order: Order) {
    const address = order.deliveryAddress;
    return html`<section class="card card-body" aria-labelledby="items-title">
      <h2 class="card-title" id="items-title">Your order</h2>
      <ul class="items">
        ${order.items.map(
          (line) => html`<li>
            <span class="qty num">${line.quantity}×</span><span>${line.name}</span><span class="num">${formatMoney(line.lineTotal)}</span>
          </li>`,
        )}
      </ul>
      <dl class="totals">
        <div><dt>Subtotal</dt><dd data-testid="subtotal">${formatMoney(order.subtotal)}</dd></div>
        <div><dt>Delivery</dt><dd data-testid="delivery-fee">${formatMoney(order.deliveryFee)}</dd></div>
        <div class="grand"><dt>Total</dt><dd data-testid="total">${formatMoney(order.total)}</dd></div>
      </dl>
      <dl class="meta">
        <div>
          ${uiIcons.pin}
          <span><dt>Delivery to</dt><dd>${address.line1}, ${address.postcode} ${address.city}</dd></span>
        </div>
        ${order.note
          ? html`<div>
              ${uiIcons.note}
              <span><dt>Note</dt><dd>${order.note}</dd></span>
            </div>`
          : nothing}
      </dl>
    </section>`;
  }

  private askCancel(): void {
    this.reason = "";
    this.store.cancelProblem.delete(this.orderId);
    this.askingCancel = true;
  }

  private async confirmCancel(event: Event): Promise<void> {
    event.preventDefault();
    const done = await this.store.cancelOrder(this.orderId, this.reason);
    this.askingCancel = false;
    await this.updateComplete;
    if (!done) this.renderRoot.querySelector<HTMLElement>('[data-testid="problem"]')?.scrollIntoView({ block: "center" });
    this.focusHeading();
  }

  private renderCancelDialog(order: Order) {
    const busy = this.store.cancelling === order.id;
    return html`<dialog
      class="sheet"
      id="cancel"
      aria-labelledby="cancel-title"
      data-testid="cancel-dialog"
      @cancel=${(e: Event) => busy && e.preventDefault()}
      @close=${() => {
        this.askingCancel = false;
      }}
    >
      <form class="sheet-body" @submit=${(e: Event) => void this.confirmCancel(e)}>
        <h2 id="cancel-title">Cancel this order?</h2>
        <p>
          ${order.canCancel
            ? `${order.restaurantName} has not accepted it yet, so you can still cancel. You will not be charged.`
            : `${order.restaurantName} has just accepted your order, so it can most likely no longer be cancelled.`}
        </p>
        <label class="field">
          <span>Reason <span class="hint">(optional)</span></span>
          <input
            name="reason"
            data-testid="cancel-reason"
            maxlength=${REASON_MAX}
            placeholder="Cancelled by the customer"
            .value=${this.reason}
            @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="picks" role="group" aria-label="Quick reasons">
          ${REASON_PICKS.map(
            (pick) => html`<button
              class="pick"
              type="button"
              aria-pressed=${this.reason === pick ? "true" : "false"}
              @click=${() => (this.reason = pick)}
            >
              ${pick}
            </button>`,
          )}
        </div>
        <div class="sheet-actions">
          <button class="btn" type="button" ?disabled=${busy} @click=${() => (this.askingCancel = false)}>Keep order</button>
          <button class="btn danger" type="submit" data-testid="confirm-cancel" ?disabled=${busy} aria-busy=${busy ? "true" : "false"}>
            ${busy ? "Cancelling…" : "Cancel order"}
          </button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define("order-page", OrderPage);
