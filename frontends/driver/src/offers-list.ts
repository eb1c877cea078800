// <offers-list>: the open offers near an available driver, nearest pickup first, updated
// live. Each card: the restaurant, pickup → drop-off, how far the pickup is, the trip,
// the fee, the items, when the food is ready; one big Accept. Offline: a friendly word.
import { LitElement, css, html, nothing } from "lit";
import { controls, formatClock, formatMinutes, formatMoney, minutesBetween, phoneLayout, uiIcons } from "@fd/ui-kit";
import { OFFER_PAGE, type Offer } from "./api";
import { driverController } from "./controller";
import { kmText } from "./deliveries";
import { driverStyles } from "./styles";

export class OffersList extends LitElement {
  private readonly store = driverController(this).store;

  static styles = [
    controls,
    phoneLayout,
    driverStyles,
    css`
      :host {
        display: grid;
        gap: var(--fd-space-3);
      }
      ol {
        display: grid;
        gap: var(--fd-space-3);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .offer {
        display: grid;
        gap: var(--fd-space-3);
        padding: var(--fd-space-4);
        transition: box-shadow 0.3s, border-color 0.3s;
      }
      .offer.fresh {
        border-color: var(--fd-primary);
        box-shadow: 0 0 0 3px var(--fd-primary-soft);
      }
      .top {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        gap: var(--fd-space-3);
      }
      .top h3 {
        margin: 0;
        font-size: var(--fd-text-lg);
        line-height: 1.25;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .fee {
        font-size: var(--fd-text-xl);
        font-weight: 800;
        color: var(--fd-success-strong);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .new {
        margin-right: var(--fd-space-1);
        vertical-align: 2px;
      }
      .count {
        min-width: 1.6em;
        justify-content: center;
      }
      .empty {
        padding: var(--fd-space-6) var(--fd-space-4);
      }
      .loading {
        display: grid;
        gap: var(--fd-space-3);
      }
    `,
  ];

  render() {
    const s = this.store;
    const me = s.me;
    if (!me || me.status === "OFFLINE") {
      return html`<section class="card empty" data-testid="offline-message">
        ${uiIcons.bike}
        <h2>You're offline</h2>
        <p>Go online with the switch above and delivery offers near you show up here as kitchens accept orders.</p>
      </section>`;
    }
    const offers = s.offers;
    return html`<h2 class="section-title" id="offers-title">
        Offers near you
        ${s.offersState === "ready"
          ? html`<span class="badge info count" data-testid="offer-count">${offers.length}${offers.length >= OFFER_PAGE ? "+" : ""}</span>`
          : nothing}
      </h2>
      ${s.offersProblem ? html`<p class="sync" role="status">${s.offersProblem} Showing what we had.</p>` : nothing}
      ${s.offersState === "loading"
        ? html`<div class="loading" aria-busy="true" aria-label="Loading offers">
            <div class="skeleton" style="height: 150px"></div>
            <div class="skeleton" style="height: 150px"></div>
          </div>`
        : s.offersState === "error"
          ? html`<section class="card card-body stack" role="alert">
              <p class="problem">${s.offersProblem ?? "The offers could not load."}</p>
              <button class="btn" type="button" @click=${() => void s.loadOffers()}>${uiIcons.refresh}Try again</button>
            </section>`
          : html`<ol data-testid="offers-list" aria-labelledby="offers-title">
                ${offers.map((offer) => this.renderOffer(offer))}
              </ol>
              ${offers.length === 0
                ? html`<section class="card empty" data-testid="no-offers">
                    ${uiIcons.clock}
                    <h3>No offers right now</h3>
                    <p>Stay online: new ones appear here as soon as a kitchen accepts an order.</p>
                  </section>`
                : nothing}`}`;
  }

  private renderOffer(offer: Offer) {
    const s = this.store;
    const problem = s.acceptProblems.get(offer.id);
    const accepting = s.accepting === offer.id;
    const readyIn = minutesBetween(s.now, offer.estimatedReadyAt);
    return html`<li class="card offer ${s.fresh.has(offer.id) ? "fresh" : ""}" data-testid="offer-${offer.id}">
      <div class="top">
        <h3>
          ${s.fresh.has(offer.id) ? html`<span class="badge info new">New</span>` : nothing}${offer.restaurantName}
        </h3>
        <span class="fee" data-testid="offer-fee">${formatMoney(offer.fee)}</span>
      </div>
      <ol class="route" aria-label="Route">
        <li><span class="dot" aria-hidden="true"></span><span class="where"><span class="visually-hidden">Pick up at </span>${offer.pickupAddress.line1}</span></li>
        <li class="to"><span class="dot" aria-hidden="true"></span><span class="where"><span class="visually-hidden">Drop off at </span>${offer.dropOff.line1}, ${offer.dropOff.postcode}</span></li>
      </ol>
      <div class="chips">
        <span class="chip strong" data-testid="offer-distance">${uiIcons.pin}${kmText(offer.distanceKm)} away</span>
        <span class="chip" title="From pickup to drop-off">Trip ${kmText(offer.tripKm)}</span>
        <span class="chip">${offer.itemCount} ${offer.itemCount === 1 ? "item" : "items"}</span>
        ${offer.ready
          ? html`<span class="chip ready" data-testid="offer-ready">${uiIcons.check}Ready</span>`
          : html`<span class="chip waiting" data-testid="offer-ready"
              >${uiIcons.clock}${readyIn >= 1
                ? `Ready ${formatClock(offer.estimatedReadyAt, s.now)} · ${formatMinutes(readyIn)}`
                : `Expected ${formatClock(offer.estimatedReadyAt, s.now)}`}</span
            >`}
      </div>
      ${problem ? html`<p class="problem" role="alert" data-testid="accept-problem">${problem}</p>` : nothing}
      <button
        class="btn primary large block"
        type="button"
        data-testid="accept"
        aria-label="Accept the delivery from ${offer.restaurantName}, ${kmText(offer.distanceKm)} away, for ${formatMoney(offer.fee)}"
        ?disabled=${s.accepting !== null}
        aria-busy=${accepting ? "true" : "false"}
        @click=${() => void s.accept(offer)}
      >
        ${accepting ? "Accepting…" : html`${uiIcons.check}Accept · ${formatMoney(offer.fee)}`}
      </button>
    </li>`;
  }
}

customElements.define("offers-list", OffersList);
