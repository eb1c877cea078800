// <shift-card>: the big online/offline switch with the driver's state (Offline / Available
// / On a delivery), and what going online needs: where the driver is (GPS, a demo spot
// in Berlin, typed coordinates; "simulate driving" for a demo spot) and, the first time,
// the vehicle. While online the location folds into one line that opens to change it.
import { LitElement, css, html, nothing } from "lit";
import { controls, phoneLayout, uiIcons, vehicleIcon } from "@fd/ui-kit";
import { VEHICLES, type Vehicle } from "./api";
import { driverController } from "./controller";
import { STATUS_TEXT, VEHICLE_TEXT } from "./deliveries";
import { DEMO_SPOTS, parsePoint, spotOf } from "./position";
import { simulateStyles, simulateSwitch } from "./simulate";
import { driverStyles } from "./styles";

export class ShiftCard extends LitElement {
  private readonly store = driverController(this).store;
  declare changing: boolean;
  declare typing: boolean;
  declare lat: string;
  declare lng: string;
  declare typedProblem: string | null;

  static properties = {
    changing: { state: true },
    typing: { state: true },
    lat: { state: true },
    lng: { state: true },
    typedProblem: { state: true },
  };

  constructor() {
    super();
    this.changing = false;
    this.typing = false;
    this.lat = "";
    this.lng = "";
    this.typedProblem = null;
  }

  static styles = [
    controls,
    phoneLayout,
    driverStyles,
    simulateStyles,
    css`
      .shift {
        display: grid;
        gap: var(--fd-space-4);
        border-top: 6px solid var(--tone, var(--fd-border-strong));
      }
      .shift.AVAILABLE {
        --tone: var(--fd-success);
      }
      .shift.BUSY {
        --tone: var(--fd-accent);
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--fd-space-3);
      }
      .state {
        display: grid;
        gap: 2px;
        min-width: 0;
      }
      .state strong {
        font-size: var(--fd-text-2xl);
        line-height: 1.1;
        color: var(--tone, var(--fd-text));
      }
      .state span {
        color: var(--fd-text-muted);
        font-size: var(--fd-text-sm);
      }
      /* on a delivery the delivery matters: the shift is one line */
      .shift.BUSY {
        gap: var(--fd-space-3);
        padding-top: var(--fd-space-3);
        padding-bottom: var(--fd-space-3);
      }
      .shift.BUSY .state strong {
        font-size: var(--fd-text-xl);
      }
      .sublegend {
        margin: var(--fd-space-1) 0 0;
        font-size: var(--fd-text-xs);
        font-weight: 700;
        color: var(--fd-text-muted);
      }
      /* the big switch: 84 x 48, the whole thing is the target */
      .big-switch {
        --switch-on: var(--fd-success);
        width: 84px;
        height: 48px;
      }
      .big-switch .knob {
        left: 4px;
        width: 40px;
        height: 40px;
      }
      .big-switch[aria-checked="true"] .knob {
        transform: translateX(36px);
      }
      .big-switch.busy {
        --switch-on: var(--fd-accent);
      }
      fieldset {
        display: grid;
        gap: var(--fd-space-2);
        margin: 0;
        padding: 0;
        border: 0;
        min-width: 0;
      }
      legend {
        padding: 0;
        margin-bottom: var(--fd-space-2);
        font-size: var(--fd-text-sm);
        font-weight: 700;
        color: var(--fd-text-muted);
      }
      .options {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--fd-space-2);
      }
      .options.three {
        grid-template-columns: repeat(3, minmax(0, 1fr));
      }
      .option {
        display: grid;
        justify-items: start;
        align-content: center;
        gap: 0;
        min-height: 56px;
        padding: var(--fd-space-2) var(--fd-space-3);
        border: 1px solid var(--fd-border-strong);
        border-radius: var(--fd-radius);
        background: var(--fd-surface);
        color: var(--fd-text);
        font: inherit;
        text-align: left;
        cursor: pointer;
        min-width: 0;
        -webkit-tap-highlight-color: transparent;
      }
      .option strong {
        font-size: var(--fd-text-md);
        line-height: 1.2;
      }
      .option small {
        color: var(--fd-text-muted);
        font-size: var(--fd-text-xs);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        max-width: 100%;
      }
      .option.wide {
        grid-column: 1 / -1;
        grid-template-columns: auto 1fr;
        column-gap: var(--fd-space-2);
        align-items: center;
      }
      .option.wide svg {
        grid-row: span 2;
        width: 22px;
        height: 22px;
        color: var(--fd-primary);
      }
      .option.vehicle {
        justify-items: center;
        text-align: center;
      }
      .option.vehicle svg {
        width: 26px;
        height: 26px;
      }
      .option[aria-pressed="true"],
      .option[aria-checked="true"] {
        border: 2px solid var(--fd-primary);
        background: var(--fd-primary-soft);
        padding: calc(var(--fd-space-2) - 1px) calc(var(--fd-space-3) - 1px);
      }
      .option:hover {
        background: var(--fd-surface-muted);
      }
      .option[disabled] {
        opacity: 0.55;
        cursor: not-allowed;
      }
      .typed {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--fd-space-2);
        align-items: end;
      }
      .typed .btn {
        grid-column: 1 / -1;
      }
      .typed input {
        min-height: 48px;
      }
      .here {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
        min-height: 48px;
        padding: 0 var(--fd-space-3);
        border-radius: var(--fd-radius);
        background: var(--fd-surface-muted);
        font-size: var(--fd-text-sm);
      }
      .here svg {
        width: 20px;
        height: 20px;
        flex: none;
        color: var(--fd-primary);
      }
      .here span {
        flex: 1;
        min-width: 0;
      }
      .here .btn {
        margin-right: calc(-1 * var(--fd-space-3));
      }
      .hint {
        margin: 0;
      }
    `,
  ];

  render() {
    const s = this.store;
    const me = s.me;
    if (!me) return nothing;
    const online = s.online;
    const busy = me.status === "BUSY";
    const sentence = busy
      ? "Deliver it to go offline."
      : online
        ? "You get offers near you."
        : "Go online to get delivery offers.";
    return html`<section class="card card-body shift ${me.status}" aria-labelledby="shift-title">
      <div class="head">
        <div class="state">
          <strong id="shift-title" data-testid="driver-status">${STATUS_TEXT[me.status]}</strong>
          <span>${sentence}</span>
        </div>
        <button
          class="switch big-switch ${busy ? "busy" : ""}"
          role="switch"
          type="button"
          data-testid="online-switch"
          aria-checked=${online ? "true" : "false"}
          aria-label="Online"
          aria-busy=${s.shiftBusy ? "true" : "false"}
          ?disabled=${busy || s.shiftBusy}
          @click=${() => void s.setOnline(!online)}
        >
          <span class="knob"></span>
        </button>
      </div>
      ${s.shiftProblem ? html`<p class="problem" role="alert" data-testid="shift-problem">${s.shiftProblem}</p>` : nothing}
      ${online && !this.changing ? this.renderHere() : this.renderLocation()}
      ${online ? nothing : this.renderVehicle()}
    </section>`;
  }

  /** Online: where the driver is, in one line, with "Change". */
  private renderHere() {
    return html`<div class="here" data-testid="location-source">
        ${uiIcons.pin}<span>${this.locationText()}</span>
        <button class="btn ghost small" type="button" data-testid="change-location" @click=${() => (this.changing = true)}>
          Change
        </button>
      </div>`;
  }

  private locationText(): string {
    const s = this.store;
    const choice = s.settings.choice;
    if (choice.kind === "gps") return s.gps.state === "locating" ? "Finding your position…" : "Your GPS position";
    const moved = s.settings.simulate && s.me?.status === "BUSY" ? ", simulated drive" : "";
    if (choice.kind === "demo") return `${spotOf(choice.slug).name} (demo)${moved}`;
    return `${choice.point.lat.toFixed(4)}, ${choice.point.lng.toFixed(4)} (typed)${moved}`;
  }

  private renderLocation() {
    const s = this.store;
    const choice = s.settings.choice;
    const pick = (next: Parameters<typeof s.choose>[0]) => {
      this.changing = false;
      this.typing = false;
      void s.choose(next);
    };
    return html`<fieldset data-testid="location-source">
      <legend>Where are you?</legend>
      <div class="options">
        <button
          type="button"
          class="option wide"
          data-testid="location-gps"
          aria-pressed=${choice.kind === "gps" ? "true" : "false"}
          ?disabled=${s.gps.state === "locating"}
          @click=${() => pick({ kind: "gps" })}
        >
          ${uiIcons.pin}<strong>${s.gps.state === "locating" ? "Finding your position…" : "Use my location"}</strong>
          <small>GPS of this phone</small>
        </button>
        <p class="sublegend" style="grid-column: 1 / -1">Demo locations (near the demo restaurants)</p>
        ${DEMO_SPOTS.map(
          (spot) => html`<button
            type="button"
            class="option"
            data-testid="demo-location-${spot.slug}"
            aria-pressed=${choice.kind === "demo" && choice.slug === spot.slug ? "true" : "false"}
            @click=${() => pick({ kind: "demo", slug: spot.slug })}
          >
            <strong>${spot.name}</strong><small>${spot.hint}</small>
          </button>`,
        )}
        <button
          type="button"
          class="option wide"
          data-testid="location-manual"
          aria-pressed=${choice.kind === "manual" ? "true" : "false"}
          aria-expanded=${this.typing ? "true" : "false"}
          @click=${() => this.startTyping()}
        >
          ${uiIcons.note}<strong>Type coordinates</strong>
          <small>${choice.kind === "manual" ? `${choice.point.lat.toFixed(4)}, ${choice.point.lng.toFixed(4)}` : "Latitude and longitude"}</small>
        </button>
      </div>
      ${this.typing ? this.renderTyped() : nothing}
      ${s.gps.problem
        ? html`<p class="problem" role="alert" data-testid="gps-problem">
            ${s.gps.problem} Pick a demo location or type coordinates instead.
          </p>`
        : nothing}
      ${choice.kind !== "gps" ? simulateSwitch(s) : nothing}
      ${this.changing
        ? html`<button class="btn" type="button" @click=${() => (this.changing = false)}>Done</button>`
        : nothing}
    </fieldset>`;
  }

  private startTyping(): void {
    const choice = this.store.settings.choice;
    const from = choice.kind === "manual" ? choice.point : this.store.position;
    this.lat = from ? from.lat.toFixed(5) : "";
    this.lng = from ? from.lng.toFixed(5) : "";
    this.typedProblem = null;
    this.typing = !this.typing;
  }

  private renderTyped() {
    const use = (event: Event) => {
      event.preventDefault();
      const point = parsePoint(this.lat, this.lng);
      if (!point) {
        this.typedProblem = "Enter a latitude (−90 to 90) and a longitude (−180 to 180), e.g. 52.4995 and 13.4180.";
        return;
      }
      this.typing = false;
      this.changing = false;
      void this.store.choose({ kind: "manual", point });
    };
    return html`<form class="typed" @submit=${use}>
      <label class="field"
        ><span>Latitude</span
        ><input
          inputmode="decimal"
          data-testid="manual-lat"
          .value=${this.lat}
          aria-invalid=${this.typedProblem ? "true" : "false"}
          @input=${(e: Event) => (this.lat = (e.target as HTMLInputElement).value)}
      /></label>
      <label class="field"
        ><span>Longitude</span
        ><input
          inputmode="decimal"
          data-testid="manual-lng"
          .value=${this.lng}
          aria-invalid=${this.typedProblem ? "true" : "false"}
          @input=${(e: Event) => (this.lng = (e.target as HTMLInputElement).value)}
      /></label>
      ${this.typedProblem ? html`<p class="field-problem" role="alert" style="grid-column: 1 / -1">${this.typedProblem}</p>` : nothing}
      <button class="btn primary" type="submit" data-testid="manual-apply">Use this position</button>
    </form>`;
  }

  private renderVehicle() {
    const s = this.store;
    const chosen = s.vehicle;
    return html`<fieldset role="radiogroup" aria-label="Vehicle">
      <legend>${chosen ? "You deliver with" : "What do you deliver with?"}</legend>
      <div class="options three">
        ${VEHICLES.map(
          (v: Vehicle) => html`<button
            type="button"
            class="option vehicle"
            role="radio"
            data-testid="vehicle-${v}"
            aria-checked=${chosen === v ? "true" : "false"}
            @click=${() => s.chooseVehicle(v)}
          >
            ${vehicleIcon(v)}<strong>${VEHICLE_TEXT[v]}</strong>
          </button>`,
        )}
      </div>
    </fieldset>`;
  }
}

customElements.define("shift-card", ShiftCard);
