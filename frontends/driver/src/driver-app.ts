// <driver-app>: the app shell. The header (who, with what vehicle, live status, sign-out);
// the "Work" tab (the shift switch, then the delivery the driver is on or the offers) and
// the "Today" tab (earnings and deliveries), switched by a bottom tab bar within reach of
// a thumb; the toast for what happened elsewhere ("Another driver took this order").
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import {
  controls,
  hashHref,
  liveBadge,
  liveBadgeStyles,
  phoneLayout,
  tabBar,
  requireSignIn,
  signOut,
  toastStyles,
  toastView,
  uiIcons,
  vehicleIcon,
} from "@fd/ui-kit";
import { driverController } from "./controller";
import { STATUS_TEXT, VEHICLE_TEXT } from "./deliveries";
import { driverStyles } from "./styles";
import type { Tab } from "./store";
import "./shift-card";
import "./offers-list";
import "./delivery-view";
import "./today-page";

const APP = "Driver";

export class DriverApp extends LitElement {
  private readonly store = driverController(this).store;
  private shownTab: Tab | null = null;
  private shownDelivery: string | null = null;

  static styles = [
    controls,
    phoneLayout,
    tabBar,
    liveBadgeStyles,
    toastStyles,
    driverStyles,
    css`
      :host {
        --nav-height: 64px;
        --fd-tab-count: 2;
        --fd-toast-bottom: calc(var(--nav-height) + 12px);
        display: block;
        min-height: 100vh;
        min-height: 100dvh;
        background: var(--fd-bg);
      }
      :host([data-delivering]) {
        --fd-toast-bottom: calc(var(--nav-height) + 96px);
      }
      .top {
        position: sticky;
        top: 0;
        z-index: 20;
        background: var(--fd-inverse-bg);
        color: var(--fd-inverse-text);
      }
      .bar {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
        max-width: 720px;
        min-height: 60px;
        margin: 0 auto;
        padding: var(--fd-space-2) var(--fd-space-2) var(--fd-space-2) var(--fd-space-4);
      }
      .who {
        display: flex;
        align-items: center;
        gap: var(--fd-space-3);
        flex: 1 1 auto;
        min-width: 0;
      }
      .avatar {
        position: relative;
        flex: none;
        display: grid;
        place-items: center;
        width: 40px;
        height: 40px;
        border-radius: 50%;
        background: var(--fd-primary);
        color: #fff;
      }
      .avatar svg {
        width: 24px;
        height: 24px;
      }
      .avatar::after {
        content: "";
        position: absolute;
        right: -1px;
        bottom: -1px;
        width: 12px;
        height: 12px;
        border-radius: 50%;
        border: 2px solid var(--fd-inverse-bg);
        background: #9aa4b1;
      }
      .avatar.AVAILABLE::after {
        background: #35d07f;
      }
      .avatar.BUSY::after {
        background: #b593f0;
      }
      .names {
        display: grid;
        min-width: 0;
        line-height: 1.25;
      }
      .names strong {
        font-size: var(--fd-text-md);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .names span {
        font-size: var(--fd-text-xs);
        color: var(--fd-inverse-muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .bar > :not(.who) {
        flex: none;
      }
      .icon-btn {
        width: 48px;
        padding: 0;
        color: var(--fd-inverse-muted);
      }
      .icon-btn:hover {
        background: rgb(255 255 255 / 0.08);
      }
      main {
        padding-bottom: calc(var(--nav-height) + env(safe-area-inset-bottom, 0px));
      }
      .dot {
        position: absolute;
        top: 10px;
        left: calc(50% + 8px);
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--fd-accent);
        border: 2px solid var(--fd-surface);
      }
      .failed {
        display: grid;
        gap: var(--fd-space-3);
        justify-items: start;
      }
      .failed h2 {
        margin: 0;
        font-size: var(--fd-text-lg);
      }
    `,
  ];

  connectedCallback(): void {
    super.connectedCallback();
    requireSignIn();
    this.store.start();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.store.stop();
  }

  protected updated(changed: PropertyValues): void {
    super.updated(changed);
    const s = this.store;
    const delivery = s.me?.activeDelivery?.id ?? null;
    this.toggleAttribute("data-delivering", !!delivery && s.tab === "work");
    document.title = `${s.me ? `${STATUS_TEXT[s.me.status]} · ` : ""}${s.tab === "today" ? "Today" : delivery ? "Delivery" : "Offers"} · ${APP}`;
    // a new tab or a delivery just taken starts at the top
    if (this.shownTab !== null && (this.shownTab !== s.tab || (delivery && delivery !== this.shownDelivery))) {
      window.scrollTo(0, 0);
    }
    this.shownTab = s.tab;
    this.shownDelivery = delivery;
  }

  render() {
    const s = this.store;
    const me = s.me;
    return html`
      <header class="top">
        <div class="bar">
          <div class="who">
            <span class="avatar ${me?.status ?? ""}" aria-hidden="true">${vehicleIcon(me?.vehicle ?? "bicycle")}</span>
            <span class="names">
              <strong data-testid="driver-name">${me?.name ?? "…"}</strong>
              <span data-testid="driver-vehicle">${me?.vehicle ? VEHICLE_TEXT[me.vehicle] : me ? "No vehicle yet" : ""}</span>
            </span>
          </div>
          ${liveBadge(s.liveState, { tone: "dark", compact: true, title: "Live offers and delivery updates" })}
          <button class="btn ghost icon-btn" type="button" title="Sign out" aria-label="Sign out" @click=${() => signOut()}>
            ${uiIcons.signOut}
          </button>
        </div>
      </header>
      <main id="main"><div class="page">${this.renderPage()}</div></main>
      ${this.renderNav()} ${toastView(s.toasts.current, () => s.toasts.dismiss())}
    `;
  }

  private renderPage() {
    const s = this.store;
    if (s.meState === "error") {
      return html`<section class="card card-body failed" role="alert">
        <h2>The app could not load</h2>
        <p class="problem" data-testid="problem">${s.meProblem}</p>
        <button class="btn primary" type="button" @click=${() => void s.loadMe()}>${uiIcons.refresh}Try again</button>
      </section>`;
    }
    if (s.meState !== "ready" || !s.me) {
      return html`<div class="stack" aria-busy="true" aria-label="Loading">
        <div class="skeleton" style="height: 96px"></div>
        <div class="skeleton" style="height: 150px"></div>
      </div>`;
    }
    if (s.tab === "today") return html`<today-page></today-page>`;
    return html`<shift-card></shift-card>
      ${s.me.activeDelivery ? html`<delivery-view></delivery-view>` : html`<offers-list></offers-list>`}`;
  }

  private renderNav() {
    const s = this.store;
    const delivering = !!s.me?.activeDelivery;
    const offers = s.me?.status === "AVAILABLE" ? s.offers.length : 0;
    return html`<nav aria-label="Main">
      <a
        href=${hashHref()}
        data-testid="nav-work"
        aria-current=${s.tab === "work" ? "page" : nothing}
        aria-label=${delivering ? "Delivery in progress" : offers ? `Offers, ${offers} open` : "Offers"}
      >
        ${delivering ? uiIcons.bag : uiIcons.bike}<span>${delivering ? "Delivery" : "Offers"}</span>
        ${delivering || offers ? html`<span class="dot" aria-hidden="true"></span>` : nothing}
      </a>
      <a href=${hashHref("today")} data-testid="nav-today" aria-current=${s.tab === "today" ? "page" : nothing}>
        ${uiIcons.receipt}<span>Today</span>
      </a>
    </nav>`;
  }
}

customElements.define("driver-app", DriverApp);
