// <cart-page>: the cart and the checkout. Lines with - n + steppers (prices as the menu says
// now; dishes that sold out meanwhile are flagged), the delivery address (prefilled from the
// customer's last address; its map location is kept as hidden fields), an optional note,
// subtotal + delivery fee = total, and "Place order" (disabled while it is being sent).
// A problem the server answers is shown where it belongs: on a cart line, under a field,
// under the address, or above the button.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatDistance, formatMoney, hashHref, phoneLayout, uiIcons } from "@fd/ui-kit";
import {
  ADDRESS_PART_MAX,
  availability,
  lineTotal,
  MAX_QUANTITY,
  NOTE_MAX,
  type AddressDraft,
  type CartLine,
  type LineAvailability,
} from "./cart";
import { shopController } from "./controller";
import { shopStyles } from "./styles";

const WARNINGS: Partial<Record<LineAvailability, string>> = {
  "sold-out": "Sold out right now. Remove it to order.",
  gone: "No longer on the menu. Remove it to order.",
};

export class CartPage extends LitElement {
  private readonly store = shopController(this).store;

  static styles = [
    controls,
    phoneLayout,
    shopStyles,
    css`
      .layout {
        display: grid;
        gap: var(--fd-space-4);
        align-items: start;
      }
      .col {
        display: grid;
        gap: var(--fd-space-4);
        min-width: 0;
      }
      @media (min-width: 960px) {
        :host {
          --fd-page-width: 1000px;
        }
        .layout {
          grid-template-columns: minmax(0, 1.4fr) minmax(300px, 1fr);
        }
        .summary {
          position: sticky;
          top: 72px;
        }
      }
      .from {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--fd-space-3);
        padding: var(--fd-space-3) var(--fd-space-4);
        border-bottom: 1px solid var(--fd-border);
      }
      .from p {
        margin: 0;
        min-width: 0;
      }
      .from a {
        font-weight: 700;
      }
      .lines {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .line {
        display: grid;
        grid-template-columns: 1fr auto;
        grid-template-areas:
          "text total"
          "stepper stepper"
          "note note";
        align-items: center;
        gap: var(--fd-space-2) var(--fd-space-3);
        padding: var(--fd-space-3) var(--fd-space-4);
        border-bottom: 1px solid var(--fd-border);
      }
      @media (min-width: 480px) {
        .line {
          grid-template-columns: 1fr auto auto;
          grid-template-areas:
            "text stepper total"
            "note note note";
        }
      }
      .line .text {
        grid-area: text;
        display: grid;
        gap: 2px;
        min-width: 0;
      }
      .line .stepper {
        grid-area: stepper;
        justify-self: start;
      }
      .line .total {
        grid-area: total;
        min-width: 4.5em;
        text-align: right;
        font-weight: 700;
      }
      .line .note {
        grid-area: note;
      }
      .line.unavailable .name {
        color: var(--fd-text-muted);
        text-decoration: line-through;
      }
      .name {
        font-weight: 700;
      }
      .warn {
        margin: 0;
        font-size: var(--fd-text-sm);
        font-weight: 600;
        color: var(--fd-warning-strong);
      }
      .foot-links {
        display: flex;
        justify-content: space-between;
        flex-wrap: wrap;
        gap: var(--fd-space-2);
        padding: var(--fd-space-2) var(--fd-space-2);
      }
      .fields {
        display: grid;
        gap: var(--fd-space-3);
      }
      .pair {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
        gap: var(--fd-space-3);
      }
      .card-title {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
      }
      .card-title svg {
        width: 22px;
        height: 22px;
        color: var(--fd-text-muted);
      }
      .optional {
        font-size: var(--fd-text-sm);
        font-weight: 600;
        color: var(--fd-text-muted);
      }
      .hint {
        display: flex;
        gap: var(--fd-space-2);
        margin: 0;
        line-height: 1.4;
      }
      .counter {
        align-self: end;
        font-size: var(--fd-text-xs);
        color: var(--fd-text-muted);
        font-variant-numeric: tabular-nums;
      }
      .totals {
        display: grid;
        gap: var(--fd-space-2);
        margin: 0;
      }
      .totals div {
        display: flex;
        justify-content: space-between;
        gap: var(--fd-space-3);
      }
      .totals dt {
        color: var(--fd-text-muted);
      }
      .totals dd {
        margin: 0;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .totals .grand {
        padding-top: var(--fd-space-2);
        border-top: 1px solid var(--fd-border);
        font-size: var(--fd-text-lg);
      }
      .totals .grand dt,
      .totals .grand dd {
        color: var(--fd-text);
        font-weight: 800;
      }
      .summary .stack {
        gap: var(--fd-space-4);
      }
      .notice {
        display: flex;
        gap: var(--fd-space-2);
        margin: 0;
        padding: var(--fd-space-2) var(--fd-space-3);
        border-radius: var(--fd-radius-sm);
        background: var(--fd-warning-soft);
        color: var(--fd-warning-strong);
        font-size: var(--fd-text-sm);
        font-weight: 600;
      }
      .notice svg,
      .hint svg {
        width: 18px;
        height: 18px;
        flex: none;
        margin-top: 1px;
      }
      .fine {
        margin: 0;
        text-align: center;
      }
    `,
  ];

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  render() {
    const s = this.store;
    const cart = s.cart;
    if (cart.lines.length === 0) {
      return html`<div class="page">
        <h1 class="page-title" tabindex="-1">Your cart</h1>
        <section class="card empty" data-testid="empty-cart">
          ${uiIcons.bag}
          <h2>Your cart is empty</h2>
          <p>Pick a restaurant and add a few dishes.</p>
          <a class="btn primary" href=${hashHref()}>Browse restaurants</a>
        </section>
      </div>`;
    }
    const restaurant = cart.restaurantId ? s.restaurants.get(cart.restaurantId) : undefined;
    return html`<div class="page">
      <h1 class="page-title" tabindex="-1">Your cart</h1>
      ${s.syncProblem ? html`<p class="sync" role="status" data-testid="sync-problem">${uiIcons.alert}${s.syncProblem}</p>` : nothing}
      <div class="layout">
        <div class="col">
          <section class="card" aria-label="Items">
            <div class="from">
              <p>From <a href=${hashHref("restaurant", cart.restaurantId ?? "")}>${cart.restaurantName}</a></p>
              <button class="btn ghost small" type="button" data-testid="clear-cart" @click=${() => s.clearCart()}>
                ${uiIcons.trash}Clear
              </button>
            </div>
            <ul class="lines">
              ${cart.lines.map((line) => this.renderLine(line, availability(line, restaurant)))}
            </ul>
            <div class="foot-links">
              <a class="btn ghost small" href=${hashHref("restaurant", cart.restaurantId ?? "")}>${uiIcons.plus}Add more dishes</a>
            </div>
          </section>
          ${this.renderAddress()} ${this.renderNote()}
        </div>
        ${this.renderSummary()}
      </div>
    </div>`;
  }

  private renderLine(line: CartLine, state: LineAvailability) {
    const s = this.store;
    const problem = s.checkoutProblem?.place.at === "line" && s.checkoutProblem.place.menuItemId === line.menuItemId ? s.checkoutProblem : null;
    const warning = WARNINGS[state];
    return html`<li class="line ${warning ? "unavailable" : ""}" data-testid="cart-line-${line.menuItemId}">
      <div class="text">
        <span class="name">${line.name}</span>
        <span class="small muted">${formatMoney(line.unitPrice)} each</span>
      </div>
      <div class="stepper" role="group" aria-label="How many ${line.name}">
        <button
          type="button"
          data-testid="decrease"
          aria-label=${line.quantity === 1 ? `Remove ${line.name}` : `One ${line.name} less`}
          @click=${() => s.setQuantity(line.menuItemId, line.quantity - 1)}
        >
          ${line.quantity === 1 ? uiIcons.trash : uiIcons.minus}
        </button>
        <output data-testid="quantity" aria-live="polite">${line.quantity}</output>
        <button
          type="button"
          data-testid="increase"
          aria-label="One more ${line.name}"
          ?disabled=${line.quantity >= MAX_QUANTITY || Boolean(warning)}
          @click=${() => s.setQuantity(line.menuItemId, line.quantity + 1)}
        >
          ${uiIcons.plus}
        </button>
      </div>
      <span class="total num" data-testid="line-total">${formatMoney(lineTotal(line))}</span>
      ${problem
        ? html`<p class="note field-problem" role="alert" data-testid="problem">${problem.text}</p>`
        : warning
          ? html`<p class="note warn">${warning}</p>`
          : nothing}
    </li>`;
  }

  private renderAddress() {
    const s = this.store;
    const draft = s.addressDraft;
    const point = s.deliveryPoint;
    const problem = s.checkoutProblem;
    const fieldProblem = (field: keyof AddressDraft) =>
      problem?.place.at === "field" && problem.place.field === field ? problem.text : null;
    const field = (name: keyof AddressDraft, label: string, testid: string, autocomplete: string) => {
      const server = fieldProblem(name);
      const local = s.invalid[name];
      const message = server ?? local;
      return html`<label class="field">
        <span>${label}</span>
        <input
          name=${name}
          data-testid=${testid}
          autocomplete=${autocomplete}
          maxlength=${ADDRESS_PART_MAX}
          required
          .value=${draft[name]}
          aria-invalid=${message ? "true" : "false"}
          aria-describedby=${message ? `${name}-problem` : nothing}
          @input=${(e: Event) => s.setAddressField(name, (e.target as HTMLInputElement).value)}
        />
        ${message
          ? html`<p class="field-problem" id="${name}-problem" role="alert" data-testid=${server ? "problem" : "field-invalid"}>${message}</p>`
          : nothing}
      </label>`;
    };
    return html`<section class="card card-body" aria-labelledby="address-title">
      <h2 class="card-title" id="address-title">${uiIcons.pin}Delivery address</h2>
      <div class="fields">
        ${field("line1", "Street and number", "address-line1", "address-line1")}
        <div class="pair">
          ${field("postcode", "Postcode", "address-postcode", "postal-code")} ${field("city", "City", "address-city", "address-level2")}
        </div>
        <input type="hidden" name="lat" data-testid="address-lat" .value=${point ? String(point.lat) : ""} />
        <input type="hidden" name="lng" data-testid="address-lng" .value=${point ? String(point.lng) : ""} />
        <p class="hint">
          ${uiIcons.pin}<span
            >${point
              ? "We deliver to the map location saved with your last address. Finding a new address on the map is not part of this demo, so change the text only for small corrections."
              : "No map location is saved for you yet, and finding an address on the map is not part of this demo."}</span
          >
        </p>
        ${problem?.place.at === "address" ? html`<p class="problem" role="alert" data-testid="problem">${problem.text}</p>` : nothing}
      </div>
    </section>`;
  }

  private renderNote() {
    const s = this.store;
    const problem = s.checkoutProblem?.place.at === "field" && s.checkoutProblem.place.field === "note" ? s.checkoutProblem : null;
    return html`<section class="card card-body" aria-labelledby="note-title">
      <h2 class="card-title" id="note-title">${uiIcons.note}Note <span class="optional">(optional)</span></h2>
      <label class="field">
        <span class="visually-hidden">Note for the restaurant and the driver</span>
        <textarea
          name="note"
          data-testid="note"
          maxlength=${NOTE_MAX}
          rows="2"
          placeholder="Allergies, the doorbell, where to leave it…"
          .value=${s.cart.note}
          aria-invalid=${problem ? "true" : "false"}
          @input=${(e: Event) => s.setNote((e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <span class="counter">${s.cart.note.length}/${NOTE_MAX}</span>
        ${problem ? html`<p class="field-problem" role="alert" data-testid="problem">${problem.text}</p>` : nothing}
      </label>
    </section>`;
  }

  private renderSummary() {
    const s = this.store;
    const cart = s.cart;
    const restaurant = cart.restaurantId ? s.restaurants.get(cart.restaurantId) : undefined;
    const estimate = cart.restaurantId ? s.estimates.get(cart.restaurantId) : undefined;
    const fee = s.deliveryFee;
    const total = s.cartTotal;
    const problem = s.checkoutProblem?.place.at === "general" ? s.checkoutProblem : null;
    const pending = s.deliveryPoint && !estimate;
    return html`<section class="card card-body summary" aria-labelledby="summary-title">
      <div class="stack">
        <h2 class="card-title" id="summary-title">${uiIcons.receipt}Summary</h2>
        <dl class="totals">
          <div><dt>Subtotal</dt><dd data-testid="subtotal">${formatMoney(s.cartSubtotal)}</dd></div>
          <div>
            <dt>Delivery${estimate ? html` <span class="small">(${formatDistance(estimate.distanceKm)})</span>` : nothing}</dt>
            <dd data-testid="delivery-fee">${fee ? formatMoney(fee) : pending ? "…" : "–"}</dd>
          </div>
          <div class="grand"><dt>Total</dt><dd data-testid="total">${total ? formatMoney(total) : pending ? "…" : `${formatMoney(s.cartSubtotal)} + delivery`}</dd></div>
        </dl>
        ${restaurant && !restaurant.isOpen
          ? html`<p class="notice" role="status">${uiIcons.alert}<span>${restaurant.name} is closed right now.</span></p>`
          : nothing}
        ${estimate && !estimate.inRange
          ? html`<p class="notice" role="status">
              ${uiIcons.alert}<span>Your address is ${formatDistance(estimate.distanceKm)} away: too far for ${cart.restaurantName}.</span>
            </p>`
          : nothing}
        ${problem ? html`<p class="problem" role="alert" data-testid="problem">${problem.text}</p>` : nothing}
        <button
          class="btn primary block large"
          type="button"
          data-testid="place-order"
          ?disabled=${s.placing}
          aria-busy=${s.placing ? "true" : "false"}
          @click=${() => void s.placeOrder()}
        >
          ${s.placing ? "Placing order…" : html`Place order${total ? html` · ${formatMoney(total)}` : nothing}`}
        </button>
        <p class="fine small muted">You can cancel until the restaurant accepts your order.</p>
      </div>
    </section>`;
  }
}

customElements.define("cart-page", CartPage);
