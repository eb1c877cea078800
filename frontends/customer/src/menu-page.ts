// <menu-page>: one restaurant's menu by category. Tapping a dish adds one to the cart;
// once in the cart, a - n + stepper changes how many. Sold-out dishes (and every dish while
// the restaurant is closed) cannot be added. Menu changes arrive live (the catalog
// subscription). A bar at the bottom leads to the cart while it holds this restaurant's items.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatDistance, formatMoney, hashHref, phoneLayout, problemText, uiIcons } from "@fd/ui-kit";
import type { MenuItem, Restaurant } from "./api";
import { MAX_QUANTITY, quantityOf } from "./cart";
import { shopController } from "./controller";
import { shopStyles } from "./styles";

export class MenuPage extends LitElement {
  private readonly store = shopController(this).store;
  declare restaurantId: string;

  static properties = { restaurantId: { attribute: false } };

  constructor() {
    super();
    this.restaurantId = "";
  }

  static styles = [
    controls,
    phoneLayout,
    shopStyles,
    css`
      .page.with-bar {
        padding-bottom: 96px;
      }
      .hero {
        display: grid;
        gap: var(--fd-space-2);
      }
      .hero-top {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: var(--fd-space-3);
      }
      .hero p {
        margin: 0;
      }
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fd-space-1) var(--fd-space-4);
        margin: var(--fd-space-1) 0 0;
        padding: 0;
        list-style: none;
        font-size: var(--fd-text-sm);
        font-weight: 600;
      }
      .facts li {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .facts svg {
        width: 18px;
        height: 18px;
        color: var(--fd-text-muted);
      }
      .notice {
        display: flex;
        gap: var(--fd-space-2);
        margin: var(--fd-space-1) 0 0;
        padding: var(--fd-space-2) var(--fd-space-3);
        border-radius: var(--fd-radius-sm);
        font-size: var(--fd-text-sm);
        font-weight: 600;
        background: var(--fd-warning-soft);
        color: var(--fd-warning-strong);
      }
      .notice svg {
        width: 18px;
        height: 18px;
        flex: none;
        margin-top: 1px;
      }
      .chips {
        position: sticky;
        top: 57px;
        z-index: 5;
        display: flex;
        gap: var(--fd-space-2);
        margin: 0 calc(-1 * var(--fd-space-4));
        padding: var(--fd-space-2) var(--fd-space-4);
        overflow-x: auto;
        scrollbar-width: none;
        background: var(--fd-bg);
      }
      .chips::-webkit-scrollbar {
        display: none;
      }
      .chip {
        flex: none;
        min-height: var(--fd-control-height-sm);
        padding: 0 var(--fd-space-4);
        border: 1px solid var(--fd-border);
        border-radius: 999px;
        background: var(--fd-surface);
        font: inherit;
        font-size: var(--fd-text-sm);
        font-weight: 700;
        color: var(--fd-text);
        cursor: pointer;
      }
      .chip:hover {
        border-color: var(--fd-border-strong);
      }
      section.category {
        scroll-margin-top: 116px;
        overflow: hidden;
      }
      .category h2 {
        margin: 0;
        padding: var(--fd-space-4) var(--fd-space-4) var(--fd-space-2);
        font-size: var(--fd-text-lg);
      }
      .items {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .item {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
        padding: 0 var(--fd-space-3) 0 0;
        border-top: 1px solid var(--fd-border);
      }
      .item.in-cart {
        box-shadow: inset 4px 0 0 var(--fd-primary);
      }
      .add {
        display: grid;
        grid-template-columns: 1fr auto;
        align-items: center;
        gap: 2px var(--fd-space-3);
        flex: 1 1 auto;
        min-width: 0;
        min-height: 72px;
        padding: var(--fd-space-3) 0 var(--fd-space-3) var(--fd-space-4);
        border: 0;
        background: none;
        font: inherit;
        color: inherit;
        text-align: left;
        cursor: pointer;
      }
      .add:focus-visible {
        outline-offset: -3px;
      }
      .add:hover:not([disabled]) .name {
        color: var(--fd-primary-strong);
      }
      .add[disabled] {
        cursor: not-allowed;
      }
      .text {
        display: grid;
        gap: 2px;
        min-width: 0;
      }
      .name {
        font-weight: 700;
        line-height: 1.3;
      }
      .desc {
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
        line-height: 1.35;
      }
      .price {
        margin-top: 2px;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .sold .name,
      .sold .price {
        color: var(--fd-text-muted);
      }
      .sold .price {
        text-decoration: line-through;
      }
      .plus {
        display: grid;
        place-items: center;
        width: 40px;
        height: 40px;
        border-radius: 50%;
        background: var(--fd-primary-soft);
        color: var(--fd-primary-strong);
      }
      .plus svg {
        width: 22px;
        height: 22px;
      }
      .add:hover:not([disabled]) .plus {
        background: var(--fd-primary);
        color: #fff;
      }
      .cart-bar {
        position: fixed;
        z-index: 25;
        left: var(--fd-space-3);
        right: var(--fd-space-3);
        bottom: calc(var(--nav-height, 64px) + env(safe-area-inset-bottom, 0px) + var(--fd-space-3));
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
        max-width: 560px;
        min-height: 56px;
        margin: 0 auto;
        padding: 0 var(--fd-space-4);
        border-radius: var(--fd-radius-lg);
        background: var(--fd-primary);
        color: #fff;
        text-decoration: none;
        font-weight: 700;
        box-shadow: var(--fd-shadow-lg);
      }
      .cart-bar:hover {
        background: var(--fd-primary-strong);
      }
      .cart-bar .n {
        display: grid;
        place-items: center;
        min-width: 30px;
        height: 30px;
        padding: 0 6px;
        border-radius: 8px;
        background: rgb(255 255 255 / 0.2);
        font-variant-numeric: tabular-nums;
      }
      .cart-bar .go {
        margin-left: auto;
        font-variant-numeric: tabular-nums;
      }
      @media (min-width: 720px) {
        .cart-bar {
          bottom: var(--fd-space-5);
        }
        .chips {
          top: 57px;
        }
      }
      .sk-hero {
        height: 150px;
        border-radius: var(--fd-radius-lg);
      }
      .sk-list {
        height: 320px;
        border-radius: var(--fd-radius-lg);
      }
    `,
  ];

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  render() {
    const s = this.store;
    const r = s.restaurants.get(this.restaurantId);
    const state = s.restaurantState.get(this.restaurantId);
    const back = html`<a class="back" href=${hashHref()}>${uiIcons.back}Restaurants</a>`;
    if (!r) {
      if (state === "missing") {
        return html`<div class="page">${back}
          <section class="card empty">
            ${uiIcons.store}
            <h1 class="page-title" tabindex="-1">Restaurant not found</h1>
            <p>It may have left the platform.</p>
            <a class="btn primary" href=${hashHref()}>See all restaurants</a>
          </section>
        </div>`;
      }
      if (state === "error") {
        const problem = s.restaurantProblem.get(this.restaurantId);
        return html`<div class="page">${back}
          <section class="card card-body failed" role="alert">
            <h1 class="page-title" tabindex="-1">The menu could not be loaded</h1>
            <p class="problem" data-testid="problem">${problem ? problemText(problem) : ""}</p>
            <button class="btn primary" type="button" @click=${() => void s.loadRestaurant(this.restaurantId)}>
              ${uiIcons.refresh}Try again
            </button>
          </section>
        </div>`;
      }
      return html`<div class="page" aria-busy="true" aria-label="Loading the menu">
        ${back}
        <div class="skeleton sk-hero"></div>
        <div class="skeleton sk-list"></div>
      </div>`;
    }
    const inCart = s.cart.restaurantId === r.id ? s.cartCount : 0;
    return html`<div class="page ${inCart ? "with-bar" : ""}">
      ${back}
      ${s.syncProblem ? html`<p class="sync" role="status" data-testid="sync-problem">${uiIcons.alert}${s.syncProblem}</p>` : nothing}
      ${this.renderHero(r)}
      ${r.menu.length > 1
        ? html`<div class="chips" role="navigation" aria-label="Menu sections">
            ${r.menu.map(
              (section, i) => html`<button class="chip" type="button" @click=${() => this.jump(i)}>${section.category}</button>`,
            )}
          </div>`
        : nothing}
      ${r.menu.length === 0
        ? html`<section class="card empty">${uiIcons.note}<h2>No menu yet</h2><p>${r.name} has not put its menu online yet.</p></section>`
        : r.menu.map(
            (section, i) => html`<section class="card category" id="section-${i}" aria-labelledby="section-title-${i}">
              <h2 id="section-title-${i}">${section.category}</h2>
              <ul class="items">
                ${section.items.map((item) => this.renderItem(r, item))}
              </ul>
            </section>`,
          )}
      ${inCart
        ? html`<a class="cart-bar" href=${hashHref("cart")} data-testid="view-cart">
            <span class="n">${inCart}</span><span>View cart</span><span class="go">${formatMoney(s.cartSubtotal)}</span>
          </a>`
        : nothing}
    </div>`;
  }

  private renderHero(r: Restaurant) {
    const estimate = this.store.estimates.get(r.id);
    return html`<section class="card card-body hero">
      <div class="hero-top">
        <h1 class="page-title" tabindex="-1">${r.name}</h1>
        <span class="badge ${r.isOpen ? "success" : "danger"}" data-testid="open-status">${r.isOpen ? "Open" : "Closed"}</span>
      </div>
      <p class="muted">${r.cuisine}${r.description ? ` · ${r.description}` : ""}</p>
      <ul class="facts">
        <li title="Usual preparation time">${uiIcons.clock}${r.prepMinutes} min preparation</li>
        ${estimate
          ? html`<li title="Delivery fee to your address">${uiIcons.bike}${formatMoney(estimate.fee)} delivery</li>
              <li title="Distance to your address">${uiIcons.pin}${formatDistance(estimate.distanceKm)} away</li>`
          : nothing}
      </ul>
      <p class="small muted">${r.address.line1}, ${r.address.postcode} ${r.address.city}</p>
      ${!r.isOpen
        ? html`<p class="notice" role="status">${uiIcons.alert}<span>${r.name} is closed right now. You can look at the menu, but not order.</span></p>`
        : nothing}
      ${estimate && !estimate.inRange
        ? html`<p class="notice" role="status">
            ${uiIcons.alert}<span>Your address is ${formatDistance(estimate.distanceKm)} away, too far for ${r.name} to deliver.</span>
          </p>`
        : nothing}
    </section>`;
  }

  private renderItem(r: Restaurant, item: MenuItem) {
    const s = this.store;
    const qty = s.cart.restaurantId === r.id ? quantityOf(s.cart, item.id) : 0;
    const canAdd = item.available && r.isOpen;
    const label = !item.available
      ? `${item.name}, ${formatMoney(item.price)}, sold out`
      : !r.isOpen
        ? `${item.name}, ${formatMoney(item.price)}: the restaurant is closed`
        : qty
          ? `Add one more ${item.name}, ${formatMoney(item.price)} (${qty} in your cart)`
          : `Add ${item.name} to your cart, ${formatMoney(item.price)}`;
    return html`<li class="item ${qty ? "in-cart" : ""} ${item.available ? "" : "sold"}" data-testid="menu-item-${item.id}">
      <button class="add" type="button" data-testid="add" aria-label=${label} ?disabled=${!canAdd} @click=${() => s.add(r, item)}>
        <span class="text">
          <span class="name">${item.name}</span>
          ${item.description ? html`<span class="desc">${item.description}</span>` : nothing}
          <span class="price">${formatMoney(item.price)}</span>
        </span>
        ${!item.available
          ? html`<span class="badge danger">Sold out</span>`
          : canAdd && !qty
            ? html`<span class="plus" aria-hidden="true">${uiIcons.plus}</span>`
            : nothing}
      </button>
      ${qty
        ? html`<div class="stepper" role="group" aria-label="How many ${item.name}">
            <button type="button" data-testid="decrease" aria-label="One ${item.name} less" @click=${() => s.setQuantity(item.id, qty - 1)}>
              ${qty === 1 ? uiIcons.trash : uiIcons.minus}
            </button>
            <output data-testid="quantity" aria-live="polite">${qty}</output>
            <button
              type="button"
              data-testid="increase"
              aria-label="One more ${item.name}"
              ?disabled=${!canAdd || qty >= MAX_QUANTITY}
              @click=${() => s.setQuantity(item.id, qty + 1)}
            >
              ${uiIcons.plus}
            </button>
          </div>`
        : nothing}
    </li>`;
  }

  private jump(index: number): void {
    const section = this.renderRoot.querySelector<HTMLElement>(`#section-${index}`);
    if (!section) return;
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    section.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    section.querySelector<HTMLElement>("h2")?.setAttribute("tabindex", "-1");
    section.querySelector<HTMLElement>("h2")?.focus({ preventScroll: true });
  }
}

customElements.define("menu-page", MenuPage);
