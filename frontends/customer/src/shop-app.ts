// <shop-app>: the app shell. The header (brand, live status, sign-out), the main navigation
// (a bottom tab bar on phones, part of the header on larger screens), the page the hash
// names, and the "start a new cart?" dialog. Keeps the scroll position of each page and
// moves the focus to a new page's heading (keyboard and screen reader users).
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import {
  controls,
  formatMoney,
  hashHref,
  liveBadge,
  liveBadgeStyles,
  phoneLayout,
  tabBar,
  requireSignIn,
  sheetDialog,
  signOut,
  uiIcons,
} from "@fd/ui-kit";
import { shopController } from "./controller";
import { orderNumber, STATUS } from "./orders";
import { shopStyles } from "./styles";
import type { Route } from "./store";
import "./restaurant-list";
import "./menu-page";
import "./cart-page";
import "./orders-page";
import "./order-page";

const APP = "Food delivery";

export interface PageElement extends HTMLElement {
  focusHeading?: () => void;
}

export class ShopApp extends LitElement {
  private readonly store = shopController(this).store;
  private readonly scrolls = new Map<string, number>();
  private shownHash = location.hash;
  private moved = false;

  static styles = [
    controls,
    phoneLayout,
    tabBar,
    sheetDialog,
    liveBadgeStyles,
    shopStyles,
    css`
      :host {
        --nav-height: 64px;
        display: block;
        min-height: 100vh;
        min-height: 100dvh;
        background: var(--fd-bg);
      }
      .top {
        position: sticky;
        top: 0;
        z-index: 20;
        background: var(--fd-surface);
        border-bottom: 1px solid var(--fd-border);
      }
      .bar {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
        max-width: 1040px;
        min-height: 56px;
        margin: 0 auto;
        padding: var(--fd-space-1) var(--fd-space-3) var(--fd-space-1) var(--fd-space-4);
      }
      .brand {
        display: inline-flex;
        align-items: center;
        gap: var(--fd-space-2);
        flex: 1 1 auto;
        min-width: 0;
        margin-right: auto;
        min-height: var(--fd-control-height);
        color: var(--fd-text);
        text-decoration: none;
        font-size: var(--fd-text-lg);
        font-weight: 800;
        letter-spacing: -0.01em;
        white-space: nowrap;
      }
      .brand .name {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .bar > :not(.brand) {
        flex: none;
      }
      .logo {
        flex: none;
        display: grid;
        place-items: center;
        width: 34px;
        height: 34px;
        border-radius: 9px;
        background: #c25e00;
        color: #fff;
      }
      .logo svg {
        width: 22px;
        height: 22px;
      }
      .icon-btn {
        width: var(--fd-control-height);
        padding: 0;
        color: var(--fd-text-muted);
      }
      .icon {
        position: relative;
        display: inline-flex;
      }
      .count {
        position: absolute;
        top: -6px;
        left: 15px;
        min-width: 20px;
        height: 20px;
        padding: 0 5px;
        border-radius: 999px;
        border: 2px solid var(--fd-surface);
        background: #c25e00;
        color: #fff;
        font-size: 11px;
        font-weight: 800;
        line-height: 16px;
        text-align: center;
        font-variant-numeric: tabular-nums;
      }
      .count.zero {
        background: var(--fd-border-strong);
      }
      .count.active {
        background: var(--fd-primary);
      }
      main {
        padding-bottom: calc(var(--nav-height) + env(safe-area-inset-bottom, 0px));
      }
      @media (min-width: 720px) {
        nav {
          position: static;
          display: flex;
          gap: var(--fd-space-1);
          padding: 0;
          border: 0;
          box-shadow: none;
          background: none;
        }
        nav a {
          flex-direction: row;
          gap: var(--fd-space-2);
          min-height: var(--fd-control-height);
          padding: 0 var(--fd-space-3);
          border-radius: 999px;
          font-size: var(--fd-text-sm);
        }
        nav a:hover {
          background: var(--fd-surface-muted);
          color: var(--fd-text);
        }
        nav a[aria-current="page"] {
          background: var(--fd-primary-soft);
        }
        nav a[aria-current="page"]::before {
          display: none;
        }
        nav a svg {
          width: 20px;
          height: 20px;
        }
        .count {
          position: static;
          border: 0;
          height: 20px;
          line-height: 20px;
        }
        main {
          padding-bottom: var(--fd-space-8);
        }
      }
      .boot {
        padding-top: var(--fd-space-6);
      }
      .sheet-item {
        display: flex;
        justify-content: space-between;
        gap: var(--fd-space-3);
        padding: var(--fd-space-3);
        border-radius: var(--fd-radius);
        background: var(--fd-surface-muted);
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    this.onHash = this.onHash.bind(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    requireSignIn();
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    // registered before the store's: the scroll position is still the old page's
    window.addEventListener("hashchange", this.onHash);
    this.store.start();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this.onHash);
    this.store.stop();
  }

  private onHash(): void {
    this.scrolls.set(this.shownHash, window.scrollY);
    this.shownHash = location.hash;
    this.moved = true;
  }

  protected updated(changed: PropertyValues): void {
    super.updated(changed);
    document.title = this.pageTitle();
    this.syncDialog();
    if (this.moved) {
      this.moved = false;
      const page = this.renderRoot.querySelector<PageElement>("main > *");
      const saved = this.scrolls.get(location.hash) ?? 0;
      void (page as unknown as LitElement | null)?.updateComplete?.then(() => {
        window.scrollTo(0, saved);
        page?.focusHeading?.();
      });
    }
  }

  private pageTitle(): string {
    const s = this.store;
    const route = s.route;
    switch (route.page) {
      case "home":
        return `Restaurants · ${APP}`;
      case "restaurant":
        return `${s.restaurants.get(route.id)?.name ?? "Menu"} · ${APP}`;
      case "cart":
        return `Your cart (${s.cartCount}) · ${APP}`;
      case "orders":
        return `My orders · ${APP}`;
      case "order": {
        const order = s.orders.get(route.id);
        return order ? `${STATUS[order.status].title}: order #${orderNumber(order.id)} · ${APP}` : `Order · ${APP}`;
      }
    }
  }

  render() {
    const s = this.store;
    return html`
      <header class="top">
        <div class="bar">
          <a class="brand" href="#/" aria-label="${APP}: restaurants">
            <span class="logo" aria-hidden="true">${uiIcons.bag}</span><span class="name">${APP}</span>
          </a>
          ${liveBadge(s.liveState, { tone: "light", compact: true, title: "Live updates of your orders" })}
          ${this.renderNav(s.route)}
          <button class="btn ghost icon-btn" type="button" title="Sign out" aria-label="Sign out" @click=${() => signOut()}>
            ${uiIcons.signOut}
          </button>
        </div>
      </header>
      <main id="main">${this.renderPage()}</main>
      ${this.renderSwitchDialog()}
    `;
  }

  private renderNav(route: Route) {
    const s = this.store;
    const count = s.cartCount;
    const active = s.activeOrders.length;
    const here = (page: Route["page"][]) => (page.includes(route.page) ? "page" : nothing);
    return html`<nav aria-label="Main">
      <a href=${hashHref()} data-testid="nav-home" aria-current=${here(["home", "restaurant"])}>
        ${uiIcons.store}<span>Restaurants</span>
      </a>
      <a
        href=${hashHref("orders")}
        data-testid="nav-orders"
        aria-current=${here(["orders", "order"])}
        aria-label=${active ? `My orders, ${active} in progress` : "My orders"}
      >
        <span class="icon">${uiIcons.receipt}${active ? html`<span class="count active" aria-hidden="true">${active}</span>` : nothing}</span
        ><span>Orders</span>
      </a>
      <a
        href=${hashHref("cart")}
        data-testid="cart-button"
        aria-current=${here(["cart"])}
        aria-label="Cart, ${count} ${count === 1 ? "item" : "items"}${count ? `, ${formatMoney(s.cartSubtotal)}` : ""}"
      >
        <span class="icon">${uiIcons.bag}<span class="count ${count ? "" : "zero"}" data-testid="cart-count">${count}</span></span
        ><span>Cart</span>
      </a>
    </nav>`;
  }

  private renderPage() {
    const s = this.store;
    if (s.meState === "error") {
      return html`<div class="page boot">
        <section class="card card-body failed" role="alert">
          <h2>The app could not load</h2>
          <p class="problem" data-testid="problem">${s.meProblem}</p>
          <button class="btn primary" type="button" @click=${() => void s.loadMe()}>${uiIcons.refresh}Try again</button>
        </section>
      </div>`;
    }
    if (s.meState !== "ready") {
      return html`<div class="page boot" aria-busy="true" aria-label="Loading">
        <div class="skeleton" style="height: 28px; width: 55%"></div>
        <div class="skeleton" style="height: 96px"></div>
        <div class="skeleton" style="height: 96px"></div>
      </div>`;
    }
    const route = s.route;
    switch (route.page) {
      case "home":
        return html`<restaurant-list></restaurant-list>`;
      case "restaurant":
        return html`<menu-page .restaurantId=${route.id}></menu-page>`;
      case "cart":
        return html`<cart-page></cart-page>`;
      case "orders":
        return html`<orders-page></orders-page>`;
      case "order":
        return html`<order-page .orderId=${route.id}></order-page>`;
    }
  }

  private renderSwitchDialog() {
    const s = this.store;
    const request = s.switchRequest;
    return html`<dialog
      class="sheet"
      id="switch"
      aria-labelledby="switch-title"
      data-testid="switch-dialog"
      @close=${() => s.switchRequest && s.cancelSwitch()}
    >
      ${request
        ? html`<div class="sheet-body">
            <h2 id="switch-title">Start a new cart?</h2>
            <p>
              Your cart has items from <strong>${s.cart.restaurantName}</strong>. You can order from one restaurant at a
              time. Clear it and add <strong>${request.item.name}</strong> from ${request.restaurant.name}?
            </p>
            <div class="sheet-item"><span>${request.item.name}</span><span class="num">${formatMoney(request.item.price)}</span></div>
            <div class="sheet-actions">
              <button class="btn" type="button" data-testid="keep-cart" @click=${() => s.cancelSwitch()}>Keep my cart</button>
              <button class="btn primary" type="button" data-testid="confirm-clear-cart" @click=${() => s.confirmSwitch()}>
                Clear cart and add
              </button>
            </div>
          </div>`
        : nothing}
    </dialog>`;
  }

  private syncDialog(): void {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>("#switch");
    if (!dialog) return;
    if (this.store.switchRequest && !dialog.open) dialog.showModal();
    else if (!this.store.switchRequest && dialog.open) dialog.close();
  }
}

customElements.define("shop-app", ShopApp);
