// The top bar: the restaurant's name, the live status, the sound toggle, the open/closed
// switch and sign-out.
import { LitElement, css, html, nothing } from "lit";
import { CONNECTION_LABELS, controls, problemText, signOut } from "@fd/ui-kit";
import { StoreController } from "./controller";
import { icons } from "./icons";

export class ConsoleHeader extends LitElement {
  private readonly store = new StoreController(this).store;

  static styles = [
    controls,
    css`
      :host {
        display: block;
        background: var(--fd-inverse-bg);
        color: var(--fd-inverse-text);
      }
      .bar {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: var(--fd-space-3) var(--fd-space-4);
        padding: var(--fd-space-2) var(--fd-space-5);
        min-height: 64px;
      }
      .brand {
        display: flex;
        flex-direction: column;
        min-width: 0;
        margin-right: auto;
      }
      h1 {
        margin: 0;
        font-size: var(--fd-text-xl);
        line-height: 1.15;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .sub {
        font-size: var(--fd-text-sm);
        color: var(--fd-inverse-muted);
      }
      .controls {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: var(--fd-space-2) var(--fd-space-3);
      }
      .live {
        display: inline-flex;
        align-items: center;
        gap: var(--fd-space-2);
        min-height: var(--fd-control-height-sm);
        padding: 0 var(--fd-space-3);
        border-radius: 999px;
        font-size: var(--fd-text-sm);
        font-weight: 700;
        background: rgb(255 255 255 / 0.08);
        white-space: nowrap;
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: #9aa4b1;
      }
      .live.live-on {
        color: #8ff0b8;
      }
      .live.live-on .dot {
        background: #35d07f;
        box-shadow: 0 0 0 3px rgb(53 208 127 / 0.25);
      }
      .live.reconnecting {
        color: #ffd27a;
        background: rgb(255 190 60 / 0.15);
      }
      .live.reconnecting .dot {
        background: #ffb938;
        animation: blink 1s steps(2, start) infinite;
      }
      @keyframes blink {
        to {
          visibility: hidden;
        }
      }
      .btn.dark {
        background: transparent;
        color: var(--fd-inverse-text);
        border-color: rgb(255 255 255 / 0.28);
        min-height: var(--fd-control-height-sm);
        font-size: var(--fd-text-sm);
      }
      .btn.dark:hover {
        background: rgb(255 255 255 / 0.1);
      }
      .btn.dark[aria-pressed="false"] {
        color: var(--fd-inverse-muted);
      }
      .btn.dark.locked {
        color: #ffd27a;
        border-color: #ffd27a;
      }
      @media (max-width: 900px) {
        .sign-out span {
          display: none;
        }
      }
      .open {
        display: inline-flex;
        align-items: center;
        gap: var(--fd-space-2);
        padding: 3px var(--fd-space-2) 3px var(--fd-space-3);
        border-radius: 999px;
        background: rgb(255 255 255 / 0.08);
      }
      .open-label {
        font-weight: 700;
        font-size: var(--fd-text-sm);
      }
      .open-label.is-open {
        color: #8ff0b8;
      }
      .open-label.is-closed {
        color: #ffb3b3;
      }
      .switch {
        --switch-on: #27a865;
        background: #7b4a4d;
      }
      .switch[aria-checked="true"] {
        background: var(--switch-on);
      }
      .problem {
        flex-basis: 100%;
        margin: 0 0 var(--fd-space-2);
      }
    `,
  ];

  render() {
    const k = this.store;
    const restaurant = k.restaurant;
    const name = restaurant?.name ?? k.me?.name ?? "Kitchen console";
    const state = k.liveState;
    const liveClass = state === "live" ? "live-on" : state === "reconnecting" ? "reconnecting" : "";
    return html`
      <div class="bar">
        <div class="brand">
          <h1>${name}</h1>
          <span class="sub">Kitchen console${restaurant?.cuisine ? html` · ${restaurant.cuisine}` : nothing}</span>
        </div>
        <div class="controls">
          <span class="live ${liveClass}" role="status" data-testid="live-status" title="Connection to live order updates">
            <span class="dot" aria-hidden="true"></span>${CONNECTION_LABELS[state]}
          </span>
          ${this.renderSound()} ${this.renderOpenSwitch()}
          <button
            class="btn dark sign-out"
            type="button"
            @click=${() => signOut()}
            title="Sign out of the console"
            aria-label="Sign out"
          >
            ${icons.signOut}<span>Sign out</span>
          </button>
        </div>
        ${k.openProblem
          ? html`<p class="problem" role="alert" data-testid="problem">${problemText(k.openProblem)}</p>`
          : nothing}
      </div>
    `;
  }

  private soundClicked(): void {
    const k = this.store;
    // "Enable sound" (on, but blocked until now: the page's first press, this one, has just
    // unblocked it) turns it on for real; otherwise the button toggles
    if (k.sound && (k.chime.justUnlocked || !k.chime.ready)) k.enableSound();
    else k.toggleSound();
  }

  private renderSound() {
    const k = this.store;
    // the browser blocks audio until the page is touched once: say so on the button
    const locked = k.sound && !k.soundReady && k.chime.supported;
    const label = locked ? "Enable sound" : k.sound ? "Sound on" : "Sound off";
    const title = locked
      ? "The browser needs one tap before the console may play the new-order chime"
      : k.sound
        ? "Chime on new orders: on (click to mute)"
        : "Chime on new orders: off (click to turn on)";
    return html`
      <button
        class="btn dark ${locked ? "locked" : ""}"
        type="button"
        data-testid="sound-toggle"
        aria-pressed=${k.sound ? "true" : "false"}
        title=${title}
        @click=${this.soundClicked}
      >
        ${k.sound ? icons.soundOn : icons.soundOff}<span>${label}</span>
      </button>
    `;
  }

  private renderOpenSwitch() {
    const k = this.store;
    const restaurant = k.restaurant;
    if (!restaurant) return nothing;
    const open = restaurant.isOpen;
    return html`
      <div class="open">
        <span id="open-label" class="open-label ${open ? "is-open" : "is-closed"}">${open ? "Open" : "Closed"}</span>
        <button
          class="switch"
          type="button"
          role="switch"
          data-testid="open-switch"
          aria-checked=${open ? "true" : "false"}
          aria-label="Taking orders"
          aria-busy=${k.openBusy ? "true" : "false"}
          title=${open ? "Open: customers can order. Switch off to stop taking orders." : "Closed: switch on to take orders."}
          @click=${() => void k.setOpen(!open)}
        >
          <span class="knob"></span>
        </button>
      </div>
    `;
  }
}

customElements.define("console-header", ConsoleHeader);
