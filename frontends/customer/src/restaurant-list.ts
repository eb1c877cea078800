// <restaurant-list>: the home page. Open restaurants by name (closed ones too on request),
// each with its cuisine, open/closed, usual preparation time and the delivery fee and
// distance to the customer's address; "Load more" pages on with the server's cursor.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatDistance, formatMoney, phoneLayout, problemText, uiIcons } from "@fd/ui-kit";
import type { Restaurant } from "./api";
import { shopController } from "./controller";
import { shopStyles } from "./styles";

/** Monogram colours (white text on each meets AA contrast). */
const PALETTE = ["#b4460f", "#1f5fd1", "#18794e", "#6d3fc0", "#9c1c5c", "#0e6e80", "#8f4b06", "#3d5a80"];

/** A stable colour for a restaurant's monogram. */
function colour(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

export class RestaurantList extends LitElement {
  private readonly store = shopController(this).store;

  static styles = [
    controls,
    phoneLayout,
    shopStyles,
    css`
      .head {
        display: grid;
        grid-template-columns: 1fr auto;
        align-items: center;
        gap: var(--fd-space-1) var(--fd-space-4);
      }
      .head .where {
        grid-column: 1 / -1;
      }
      .where {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
        margin: 0;
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
        min-width: 0;
      }
      .where svg {
        width: 18px;
        height: 18px;
        flex: none;
        color: var(--fd-success);
      }
      .where strong {
        color: var(--fd-text);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .toggle {
        display: inline-flex;
        align-items: center;
        gap: var(--fd-space-2);
        min-height: var(--fd-control-height);
        font-size: var(--fd-text-sm);
        font-weight: 600;
        color: var(--fd-text-muted);
        cursor: pointer;
      }
      .grid {
        display: grid;
        gap: var(--fd-space-3);
        list-style: none;
        margin: 0;
        padding: 0;
      }
      @media (min-width: 880px) {
        :host {
          --fd-page-width: 1000px;
        }
        .grid {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
      }
      .r-card {
        display: grid;
        grid-template-columns: 64px 1fr;
        gap: var(--fd-space-3);
        height: 100%;
        padding: var(--fd-space-3);
        color: inherit;
        text-decoration: none;
        transition: box-shadow 0.15s, border-color 0.15s;
      }
      .r-card:hover {
        border-color: var(--fd-border-strong);
        box-shadow: var(--fd-shadow);
      }
      .r-card.closed .thumb {
        filter: grayscale(1);
        opacity: 0.6;
      }
      .thumb {
        display: grid;
        place-items: center;
        width: 64px;
        height: 64px;
        border-radius: var(--fd-radius);
        background: linear-gradient(145deg, color-mix(in srgb, var(--tint) 78%, #fff), var(--tint));
        color: #fff;
        font-size: 1.7rem;
        font-weight: 800;
      }
      .info {
        display: grid;
        gap: 4px;
        min-width: 0;
        align-content: start;
      }
      .title {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: var(--fd-space-2);
      }
      h2 {
        margin: 0;
        font-size: var(--fd-text-lg);
        line-height: 1.25;
      }
      .cuisine {
        margin: 0;
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: 2px var(--fd-space-3);
        margin: 2px 0 0;
        padding: 0;
        list-style: none;
        font-size: var(--fd-text-sm);
        font-weight: 600;
      }
      .facts li {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        white-space: nowrap;
      }
      .facts svg {
        width: 16px;
        height: 16px;
        color: var(--fd-text-muted);
      }
      .far {
        margin: 2px 0 0;
        font-size: var(--fd-text-xs);
        font-weight: 700;
        color: var(--fd-warning-strong);
      }
      .more {
        display: grid;
        justify-items: center;
        gap: var(--fd-space-2);
      }
      .sk-card {
        height: 106px;
        border-radius: var(--fd-radius-lg);
      }
    `,
  ];

  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  render() {
    const s = this.store;
    const address = s.addressDraft;
    return html`<div class="page">
      ${s.syncProblem ? html`<p class="sync" role="status" data-testid="sync-problem">${uiIcons.alert}${s.syncProblem}</p>` : nothing}
      <div class="head">
        <h1 class="page-title" tabindex="-1">Restaurants</h1>
        <label class="toggle">
          <span>Show closed</span>
          <button
            class="switch"
            type="button"
            role="switch"
            data-testid="show-closed"
            aria-checked=${s.showClosed ? "true" : "false"}
            @click=${() => s.toggleClosed()}
          >
            <span class="knob"></span>
          </button>
        </label>
        ${address.line1
          ? html`<p class="where">${uiIcons.pin}<span>Delivering to <strong>${address.line1}, ${address.city}</strong></span></p>`
          : nothing}
      </div>
      ${this.renderList()}
    </div>`;
  }

  private renderList() {
    const s = this.store;
    if (s.listState === "error") {
      return html`<section class="card card-body failed" role="alert">
        <h2>Restaurants could not be loaded</h2>
        <p class="problem" data-testid="problem">${s.listProblem ? problemText(s.listProblem) : ""}</p>
        <button class="btn primary" type="button" @click=${() => void s.loadRestaurants("reset")}>${uiIcons.refresh}Try again</button>
      </section>`;
    }
    if (s.listState !== "ready") {
      return html`<div class="grid" aria-busy="true" aria-label="Loading restaurants">
        ${[0, 1, 2, 3].map(() => html`<div class="skeleton sk-card"></div>`)}
      </div>`;
    }
    const restaurants = s.listIds.map((id) => s.restaurants.get(id)).filter((r): r is Restaurant => r !== undefined);
    if (restaurants.length === 0) {
      return html`<section class="card empty">
        ${uiIcons.store}
        <h2>${s.showClosed ? "No restaurants yet" : "No restaurants are open right now"}</h2>
        <p>${s.showClosed ? "Check back soon." : "Restaurants open during the day. Check back soon, or show the closed ones."}</p>
      </section>`;
    }
    return html`
      <ul class="grid" aria-label="Restaurants">
        ${restaurants.map((r) => html`<li>${this.renderCard(r)}</li>`)}
      </ul>
      ${s.listCursor || s.listProblem
        ? html`<div class="more">
            ${s.listProblem ? html`<p class="problem" role="alert" data-testid="problem">${problemText(s.listProblem)}</p>` : nothing}
            ${s.listCursor
              ? html`<button
                  class="btn"
                  type="button"
                  data-testid="load-more"
                  ?disabled=${s.listMore}
                  aria-busy=${s.listMore ? "true" : "false"}
                  @click=${() => void s.loadRestaurants("more")}
                >
                  ${s.listMore ? "Loading…" : "Load more restaurants"}
                </button>`
              : nothing}
          </div>`
        : nothing}
    `;
  }

  private renderCard(r: Restaurant) {
    const estimate = this.store.estimates.get(r.id);
    const items = r.menu.reduce((n, s) => n + s.items.length, 0);
    return html`<a
      class="card r-card ${r.isOpen ? "" : "closed"}"
      href="#/restaurant/${encodeURIComponent(r.id)}"
      data-testid="restaurant-${r.id}"
    >
      <span class="thumb" style="--tint: ${colour(r.id)}" aria-hidden="true">${r.name.charAt(0)}</span>
      <div class="info">
        <div class="title">
          <h2>${r.name}</h2>
          <span class="badge ${r.isOpen ? "success" : "danger"}" data-testid="open-status">${r.isOpen ? "Open" : "Closed"}</span>
        </div>
        <p class="cuisine">${r.cuisine}${r.description ? ` · ${r.description}` : items ? "" : " · no menu yet"}</p>
        <ul class="facts">
          <li title="Usual preparation time">${uiIcons.clock}<span>${r.prepMinutes} min</span></li>
          ${estimate
            ? html`<li title="Delivery fee" data-testid="fee">${uiIcons.bike}<span>${formatMoney(estimate.fee)}</span></li>
                <li title="Distance to your address" data-testid="distance">${uiIcons.pin}<span>${formatDistance(estimate.distanceKm)}</span></li>`
            : nothing}
        </ul>
        ${estimate && !estimate.inRange ? html`<p class="far">Too far away to deliver to your address</p>` : nothing}
      </div>
    </a>`;
  }
}

customElements.define("restaurant-list", RestaurantList);
