// <delivery-view>: the delivery the driver is on, from accepting to handing it over. The
// status and next stop as a headline; the kitchen's progress ("Waiting for the kitchen —
// ready about 14:35" / "Ready for pickup"); the map from the driver to the next stop; the
// pickup (restaurant, address, what to collect) and the drop-off (customer, address,
// note); the earnings. One big action at the bottom, within reach of a thumb: "Picked up"
// (disabled until the kitchen marked the food ready), then "Delivered".
import { LitElement, css, html, nothing } from "lit";
import {
  BoxWidthController,
  controls,
  distanceKm,
  formatClock,
  formatMoney,
  phoneLayout,
  routeMap,
  routeMapStyles,
  uiIcons,
} from "@fd/ui-kit";
import type { Address, Delivery } from "./api";
import { driverController } from "./controller";
import { addressText, kmText, orderNumber } from "./deliveries";
import { simulateStyles, simulateSwitch } from "./simulate";
import { driverStyles } from "./styles";

const STATUS_LABEL: Record<Delivery["status"], string> = {
  ACCEPTED: "Accepted",
  PICKED_UP: "Picked up",
  DELIVERED: "Delivered",
};

/** A link that opens the phone's map app with directions (OpenStreetMap on a desktop). */
function directionsHref(to: Address): string {
  const { lat, lng } = to.location;
  return `https://www.openstreetmap.org/directions?route=%3B${lat}%2C${lng}#map=16/${lat}/${lng}`;
}

export class DeliveryView extends LitElement {
  private readonly store = driverController(this).store;
  private readonly mapBox = new BoxWidthController(this, ".map-box");

  static styles = [
    controls,
    phoneLayout,
    driverStyles,
    routeMapStyles,
    simulateStyles,
    css`
      :host {
        display: grid;
        gap: var(--fd-space-4);
        /* room for the action bar */
        padding-bottom: 96px;
      }
      .status {
        display: grid;
        gap: var(--fd-space-2);
        border-top: 6px solid var(--fd-accent);
      }
      .status.PICKED_UP {
        border-top-color: var(--fd-primary);
      }
      .status-line {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--fd-space-2);
      }
      .headline {
        margin: 0;
        font-size: var(--fd-text-xl);
        line-height: 1.2;
        overflow-wrap: anywhere;
      }
      .kitchen {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
        min-height: 48px;
        margin: var(--fd-space-1) 0 0;
        padding: var(--fd-space-3);
        border-radius: var(--fd-radius);
        font-weight: 700;
      }
      .kitchen svg {
        width: 24px;
        height: 24px;
        flex: none;
      }
      .kitchen.waiting {
        background: var(--fd-warning-soft);
        color: var(--fd-warning-strong);
      }
      .kitchen.ready {
        background: var(--fd-success-soft);
        color: var(--fd-success-strong);
      }
      .kitchen.done {
        background: var(--fd-primary-soft);
        color: var(--fd-primary-strong);
      }
      .map-box {
        padding: 0;
        overflow: hidden;
      }
      .map-box .fd-map {
        border: 0;
        border-radius: var(--fd-radius-lg) var(--fd-radius-lg) 0 0;
      }
      .map-box .sim {
        padding: var(--fd-space-1) var(--fd-space-4);
        border-top: 1px solid var(--fd-border);
      }
      .map-box .sim small {
        font-size: var(--fd-text-xs);
      }
      .stop {
        display: grid;
        gap: var(--fd-space-2);
        border-left: 6px solid #c25e00;
      }
      .stop.drop-off {
        border-left-color: var(--fd-success);
      }
      .stop.next {
        box-shadow: var(--fd-shadow);
      }
      .stop.past {
        opacity: 0.7;
      }
      .stop h3 {
        margin: 0;
        font-size: var(--fd-text-lg);
        line-height: 1.25;
        overflow-wrap: anywhere;
      }
      .stop address {
        font-style: normal;
        overflow-wrap: anywhere;
      }
      .stop-head {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: var(--fd-space-2);
      }
      .go {
        flex: none;
      }
      .note {
        display: flex;
        gap: var(--fd-space-2);
        margin: 0;
        padding: var(--fd-space-2) var(--fd-space-3);
        border-radius: var(--fd-radius-sm);
        background: var(--fd-warning-soft);
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .note svg {
        width: 18px;
        height: 18px;
        flex: none;
        margin-top: 2px;
      }
      .items {
        margin: 0;
        padding: 0;
        list-style: none;
        display: grid;
        gap: 4px;
      }
      .items li {
        display: flex;
        gap: var(--fd-space-2);
      }
      .items .qty {
        min-width: 2.2em;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
      }
      .earn {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        gap: var(--fd-space-3);
      }
      .earn strong {
        font-size: var(--fd-text-xl);
        color: var(--fd-success-strong);
        font-variant-numeric: tabular-nums;
      }
      /* the one action, fixed above the tab bar */
      .action {
        position: fixed;
        z-index: 25;
        left: 0;
        right: 0;
        bottom: calc(var(--nav-height, 64px) + env(safe-area-inset-bottom, 0px));
        display: grid;
        gap: var(--fd-space-2);
        padding: var(--fd-space-3) var(--fd-space-4);
        background: var(--fd-surface);
        border-top: 1px solid var(--fd-border);
        box-shadow: 0 -4px 12px rgb(16 24 40 / 0.08);
      }
      .action > * {
        width: 100%;
        max-width: 688px;
        margin: 0 auto;
      }
      .action .wait {
        margin: 0 auto;
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
        text-align: center;
      }
    `,
  ];

  render() {
    const s = this.store;
    const d = s.me?.activeDelivery;
    if (!d) return nothing;
    const toPickup = d.status === "ACCEPTED";
    const headline = toPickup ? `Pick up at ${d.restaurantName}` : `Bring it to ${d.customerName}`;
    return html`<section class="card card-body status ${d.status}" data-testid="delivery" aria-labelledby="delivery-title">
        <div class="status-line">
          <p class="kicker">Delivery #${orderNumber(d.id)}</p>
          <span class="badge ${toPickup ? "accent" : "info"}" data-testid="delivery-status">${STATUS_LABEL[d.status]}</span>
        </div>
        <h2 class="headline" id="delivery-title" tabindex="-1">${headline}</h2>
        ${this.renderKitchen(d)}
      </section>
      ${this.renderMap(d)} ${this.renderPickup(d)} ${this.renderDropOff(d)}
      <section class="card card-body earn" aria-label="Earnings">
        <span><span class="kicker">You earn</span><br /><span class="muted small">Trip ${kmText(d.tripKm)}</span></span>
        <strong data-testid="delivery-earnings">${formatMoney(d.earnings)}</strong>
      </section>
      ${this.renderAction(d)}`;
  }

  private renderKitchen(d: Delivery) {
    const s = this.store;
    if (d.status !== "ACCEPTED") {
      return html`<p class="kitchen done" data-testid="kitchen-ready">
        ${uiIcons.bag}Picked up${d.pickedUpAt ? ` at ${formatClock(d.pickedUpAt, s.now)}` : ""}
      </p>`;
    }
    if (d.ready) {
      return html`<p class="kitchen ready" data-testid="kitchen-ready" role="status">${uiIcons.check}Ready for pickup</p>`;
    }
    const eta = d.estimatedReadyAt ? ` — ready about ${formatClock(d.estimatedReadyAt, s.now)}` : "";
    return html`<p class="kitchen waiting" data-testid="kitchen-ready" role="status">${uiIcons.chef}Waiting for the kitchen${eta}</p>`;
  }

  private renderMap(d: Delivery) {
    const s = this.store;
    const here = s.position ?? s.me?.location ?? null;
    const toPickup = d.status === "ACCEPTED";
    const goal = toPickup ? d.pickupAddress.location : d.dropOff.location;
    const distance = here ? `${kmText(distanceKm(here, goal))} to ${toPickup ? "pickup" : "drop-off"}` : null;
    return html`<section class="card map-box" aria-label="Map">
      ${routeMap({
        pickup: { ...d.pickupAddress.location, label: d.restaurantName },
        dropOff: { ...d.dropOff.location, label: d.customerName },
        driver: here ? { ...here, label: "You" } : null,
        heading: toPickup ? "pickup" : "drop-off",
        distanceText: distance,
        label: `Map: you${distance ? `, ${distance}` : ""}; ${d.restaurantName} and ${d.customerName}.`,
        testid: "map",
        width: this.mapBox.width,
        height: 200,
      })}
      ${s.settings.choice.kind !== "gps" ? simulateSwitch(s) : nothing}
    </section>`;
  }

  private renderPickup(d: Delivery) {
    const next = d.status === "ACCEPTED";
    return html`<section class="card card-body stop ${next ? "next" : "past"}" data-testid="pickup" aria-labelledby="pickup-title">
      <div class="stop-head">
        <div>
          <p class="kicker">${next ? "Pick up" : "Picked up from"}</p>
          <h3 id="pickup-title">${d.restaurantName}</h3>
          <address data-testid="pickup-address">${addressText(d.pickupAddress)}</address>
        </div>
        ${next ? this.renderGo(d.pickupAddress) : nothing}
      </div>
      <p class="kicker">${d.itemCount} ${d.itemCount === 1 ? "item" : "items"} to collect</p>
      <ul class="items" aria-label="What to collect" data-testid="delivery-items">
        ${d.items.map((item) => html`<li><span class="qty">${item.quantity}×</span><span>${item.name}</span></li>`)}
      </ul>
    </section>`;
  }

  private renderDropOff(d: Delivery) {
    const next = d.status === "PICKED_UP";
    return html`<section class="card card-body stop drop-off ${next ? "next" : ""}" data-testid="drop-off" aria-labelledby="drop-off-title">
      <div class="stop-head">
        <div>
          <p class="kicker">Drop off</p>
          <h3 id="drop-off-title">${d.customerName}</h3>
          <address data-testid="drop-off-address">${addressText(d.dropOff)}</address>
        </div>
        ${next ? this.renderGo(d.dropOff) : nothing}
      </div>
      ${d.note ? html`<p class="note" data-testid="delivery-note">${uiIcons.note}<span>${d.note}</span></p>` : nothing}
    </section>`;
  }

  private renderGo(to: Address) {
    return html`<a class="btn small go" href=${directionsHref(to)} target="_blank" rel="noopener noreferrer"
      >${uiIcons.next}Directions</a
    >`;
  }

  private renderAction(d: Delivery) {
    const s = this.store;
    const problem = s.deliveryProblem
      ? html`<p class="problem" role="alert" data-testid="delivery-problem">${s.deliveryProblem}</p>`
      : nothing;
    if (d.status === "ACCEPTED") {
      const moving = s.moving === "markPickedUp";
      return html`<div class="action">
        ${problem}
        ${d.canPickUp ? nothing : html`<p class="wait" id="pick-up-wait">You can confirm once the kitchen marks the food ready.</p>`}
        <button
          class="btn primary large block"
          type="button"
          data-testid="pick-up"
          aria-describedby=${d.canPickUp ? nothing : "pick-up-wait"}
          ?disabled=${!d.canPickUp || s.moving !== null}
          @click=${() => void s.advance("markPickedUp")}
        >
          ${moving ? "Confirming…" : html`${uiIcons.bag}Picked up`}
        </button>
      </div>`;
    }
    if (d.status === "PICKED_UP") {
      const moving = s.moving === "markDelivered";
      return html`<div class="action">
        ${problem}
        <button
          class="btn success large block"
          type="button"
          data-testid="deliver"
          ?disabled=${!d.canDeliver || s.moving !== null}
          @click=${() => void s.advance("markDelivered")}
        >
          ${moving ? "Confirming…" : html`${uiIcons.check}Delivered`}
        </button>
      </div>`;
    }
    return nothing;
  }
}

customElements.define("delivery-view", DeliveryView);
