// The accept and reject dialogs (a native modal <dialog>: focus moves in, Escape cancels).
// Accept asks for the preparation time (1-240 min, prefilled with the restaurant's default,
// quick picks); reject asks for a reason the customer will see (1-200 characters).
import { LitElement, css, html, nothing } from "lit";
import { controls, formatClock, formatMoney, problemText, type Problem } from "@fd/ui-kit";
import { shortNumber } from "./board";
import { fieldMessage } from "./forms";
import { StoreController } from "./controller";
import { icons } from "./icons";

export type DecisionKind = "accept" | "reject";

export interface DialogClosedDetail {
  kind: DecisionKind;
  orderId: string;
  /** the decision went through */
  done: boolean;
  opener: HTMLElement | null;
}

const PREP_PICKS = [10, 15, 20, 30, 45];
const REASON_PICKS = ["Too busy", "Item sold out", "Closing soon"];
const REASON_MAX = 200;
const FALLBACK_PREP = 15;

export class DecisionDialog extends LitElement {
  private readonly store = new StoreController(this).store;

  declare kind: DecisionKind;
  declare orderId: string | null;
  declare minutes: string;
  declare reason: string;
  declare problem: Problem | null;
  declare invalid: string | null;
  declare busy: boolean;

  static properties = {
    kind: { state: true },
    orderId: { state: true },
    minutes: { state: true },
    reason: { state: true },
    problem: { state: true },
    invalid: { state: true },
    busy: { state: true },
  };

  private opener: HTMLElement | null = null;
  private done = false;

  constructor() {
    super();
    this.kind = "accept";
    this.orderId = null;
    this.minutes = String(FALLBACK_PREP);
    this.reason = "";
    this.problem = null;
    this.invalid = null;
    this.busy = false;
  }

  static styles = [
    controls,
    css`
      dialog {
        width: min(480px, calc(100vw - 32px));
        max-height: calc(100vh - 32px);
        padding: 0;
        border: 0;
        border-radius: var(--fd-radius-lg);
        box-shadow: var(--fd-shadow-lg);
        color: var(--fd-text);
        background: var(--fd-surface);
      }
      dialog::backdrop {
        background: rgb(15 20 28 / 0.55);
      }
      form {
        display: flex;
        flex-direction: column;
        gap: var(--fd-space-4);
        padding: var(--fd-space-5) var(--fd-space-6) var(--fd-space-6);
      }
      header {
        display: flex;
        flex-direction: column;
        gap: 2px;
        padding-left: var(--fd-space-3);
        border-left: 6px solid var(--accent, var(--kc-new));
      }
      h2 {
        margin: 0;
        font-size: var(--fd-text-xl);
      }
      .number {
        font-family: var(--fd-font-mono);
      }
      .summary {
        margin: 0;
        color: var(--fd-text-muted);
        font-size: var(--fd-text-sm);
      }
      .items {
        margin: 0;
        padding: 0;
        list-style: none;
        font-size: var(--fd-text-sm);
        display: grid;
        gap: 2px;
      }
      .items b {
        display: inline-block;
        min-width: 2.2em;
      }
      .picks {
        display: flex;
        flex-wrap: wrap;
        gap: var(--fd-space-2);
      }
      .picks .btn {
        flex: 1 0 auto;
        min-width: 64px;
      }
      .picks.minutes {
        display: grid;
        grid-template-columns: repeat(5, minmax(0, 1fr));
      }
      .picks.minutes .btn {
        min-width: 0;
        padding: 0 var(--fd-space-2);
      }
      .picks .btn[aria-pressed="true"] {
        background: var(--fd-primary-soft);
        border-color: var(--fd-primary);
        color: var(--fd-primary-strong);
      }
      .prep {
        display: flex;
        align-items: end;
        gap: var(--fd-space-3);
      }
      .prep .field > span {
        white-space: nowrap;
      }
      .prep input {
        width: 9rem;
      }
      .prep input {
        font-size: var(--fd-text-xl);
        font-weight: 700;
        text-align: center;
      }
      .eta {
        margin: 0 0 10px;
        color: var(--fd-text-muted);
      }
      .eta strong {
        color: var(--fd-text);
      }
      .counter {
        align-self: flex-end;
        font-size: var(--fd-text-xs);
        color: var(--fd-text-muted);
      }
      .gone {
        margin: 0;
        padding: var(--fd-space-2) var(--fd-space-3);
        border-radius: var(--fd-radius-sm);
        background: var(--fd-warning-soft);
        color: var(--fd-warning-strong);
        font-weight: 600;
      }
      .buttons {
        display: flex;
        justify-content: flex-end;
        gap: var(--fd-space-3);
        margin-top: var(--fd-space-2);
      }
      .buttons .btn[type="submit"] {
        min-width: 11rem;
      }
    `,
  ];

  /** Opens the dialog for an order. */
  async open(kind: DecisionKind, orderId: string, opener: HTMLElement | null): Promise<void> {
    const dialog = this.dialog();
    if (dialog?.open) dialog.close();
    this.kind = kind;
    this.orderId = orderId;
    this.opener = opener;
    this.done = false;
    this.problem = null;
    this.invalid = null;
    this.busy = false;
    this.minutes = String(this.store.restaurant?.defaultPrepMinutes ?? FALLBACK_PREP);
    this.reason = "";
    await this.updateComplete;
    this.dialog()?.showModal();
    const input = this.renderRoot.querySelector<HTMLInputElement>(kind === "accept" ? "#prep" : "#reason");
    input?.focus();
    input?.select();
  }

  private dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog");
  }

  render() {
    const ticket = this.orderId ? this.store.board.get(this.orderId) : undefined;
    const waiting = ticket?.column === "NEW";
    return html`
      <dialog
        aria-labelledby="title"
        @close=${this.closed}
        @cancel=${(e: Event) => this.busy && e.preventDefault()}
        style="--accent: ${this.kind === "accept" ? "var(--kc-ready)" : "var(--fd-danger)"}"
      >
        ${this.orderId
          ? html`<form @submit=${this.submit} novalidate>
              <header>
                <h2 id="title">
                  ${this.kind === "accept" ? "Accept" : "Reject"} order
                  <span class="number">#${shortNumber(this.orderId)}</span>
                </h2>
                ${ticket
                  ? html`<p class="summary">
                      ${ticket.customerName} · ${ticket.itemCount} ${ticket.itemCount === 1 ? "item" : "items"} ·
                      ${formatMoney(ticket.total)}
                    </p>`
                  : nothing}
              </header>
              ${ticket
                ? html`<ul class="items">
                    ${ticket.items.map((i) => html`<li><b>${i.quantity}×</b>${i.name}</li>`)}
                  </ul>`
                : nothing}
              ${!waiting && !this.busy
                ? html`<p class="gone" role="status">
                    This order is no longer waiting for a decision (it was handled or cancelled).
                  </p>`
                : nothing}
              ${this.kind === "accept" ? this.renderAccept() : this.renderReject()}
              ${this.problem
                ? html`<p class="problem" role="alert" data-testid="problem">${problemText(this.problem)}</p>`
                : nothing}
              <div class="buttons">
                <button class="btn" type="button" @click=${() => this.dialog()?.close()} ?disabled=${this.busy}>
                  Cancel
                </button>
                ${this.kind === "accept"
                  ? html`<button
                      class="btn success"
                      type="submit"
                      data-testid="confirm-accept"
                      ?disabled=${this.busy || !waiting}
                    >
                      ${icons.check}${this.busy ? "Accepting…" : `Accept · ${this.minutesLabel()}`}
                    </button>`
                  : html`<button
                      class="btn danger"
                      type="submit"
                      data-testid="confirm-reject"
                      ?disabled=${this.busy || !waiting}
                    >
                      ${icons.x}${this.busy ? "Rejecting…" : "Reject order"}
                    </button>`}
              </div>
            </form>`
          : nothing}
      </dialog>
    `;
  }

  private minutesLabel(): string {
    const n = this.parsedMinutes();
    return n === null ? "…" : `${n} min`;
  }

  private parsedMinutes(): number | null {
    const text = this.minutes.trim();
    if (!/^\d{1,3}$/.test(text)) return null;
    const n = Number(text);
    return n >= 1 && n <= 240 ? n : null;
  }

  private renderAccept() {
    const minutes = this.parsedMinutes();
    return html`
      <div class="prep">
        <label class="field">
          <span>Preparation time (min)</span>
          <input
            id="prep"
            type="number"
            inputmode="numeric"
            min="1"
            max="240"
            step="1"
            required
            data-testid="prep-minutes"
            aria-invalid=${this.invalid ? "true" : "false"}
            aria-describedby="prep-problem"
            .value=${this.minutes}
            @input=${(e: Event) => {
              this.minutes = (e.target as HTMLInputElement).value;
              this.invalid = null;
            }}
          />
        </label>
        <p class="eta">
          ${minutes !== null
            ? html`Ready at about <strong>${formatClock(Date.now() + minutes * 60_000)}</strong>`
            : html`1 to 240 minutes`}
        </p>
      </div>
      <div class="picks minutes" role="group" aria-label="Quick picks (minutes)">
        ${PREP_PICKS.map(
          (n) => html`<button
            class="btn"
            type="button"
            aria-pressed=${String(minutes === n)}
            @click=${() => {
              this.minutes = String(n);
              this.invalid = null;
            }}
          >
            ${n} min
          </button>`,
        )}
      </div>
      ${this.invalid ? html`<p class="field-problem" id="prep-problem" role="alert" data-testid="problem">${this.invalid}</p>` : nothing}
    `;
  }

  private renderReject() {
    return html`
      <label class="field">
        <span>Reason (the customer will see it)</span>
        <input
          id="reason"
          type="text"
          maxlength=${REASON_MAX}
          required
          autocomplete="off"
          data-testid="reject-reason"
          aria-invalid=${this.invalid ? "true" : "false"}
          aria-describedby="reason-problem"
          .value=${this.reason}
          @input=${(e: Event) => {
            this.reason = (e.target as HTMLInputElement).value;
            this.invalid = null;
          }}
        />
      </label>
      <span class="counter" aria-hidden="true">${this.reason.length}/${REASON_MAX}</span>
      <div class="picks" role="group" aria-label="Common reasons">
        ${REASON_PICKS.map(
          (text) => html`<button
            class="btn"
            type="button"
            aria-pressed=${String(this.reason === text)}
            @click=${() => {
              this.reason = text;
              this.invalid = null;
            }}
          >
            ${text}
          </button>`,
        )}
      </div>
      ${this.invalid ? html`<p class="field-problem" id="reason-problem" role="alert" data-testid="problem">${this.invalid}</p>` : nothing}
    `;
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.orderId) return;
    const orderId = this.orderId;
    this.problem = null;
    let problem: Problem | null;
    if (this.kind === "accept") {
      const minutes = this.parsedMinutes();
      if (minutes === null) {
        this.invalid = "Enter whole minutes from 1 to 240.";
        this.renderRoot.querySelector<HTMLInputElement>("#prep")?.focus();
        return;
      }
      this.busy = true;
      problem = await this.store.accept(orderId, minutes);
    } else {
      const reason = this.reason.trim();
      if (!reason) {
        this.invalid = "Give the customer a reason.";
        this.renderRoot.querySelector<HTMLInputElement>("#reason")?.focus();
        return;
      }
      this.busy = true;
      problem = await this.store.reject(orderId, reason.slice(0, REASON_MAX));
    }
    this.busy = false;
    if (problem) {
      if (problem.__typename === "InvalidInput" && (problem.field === "prepMinutes" || problem.field === "reason")) {
        this.invalid = fieldMessage(problem); // shown at the field
      } else {
        this.problem = problem;
      }
      return;
    }
    this.done = true;
    this.dialog()?.close();
  }

  private closed(): void {
    if (!this.orderId) return;
    const detail: DialogClosedDetail = { kind: this.kind, orderId: this.orderId, done: this.done, opener: this.opener };
    this.orderId = null;
    this.opener = null;
    this.dispatchEvent(new CustomEvent("dialog-closed", { detail, bubbles: true, composed: true }));
  }
}

customElements.define("decision-dialog", DecisionDialog);
