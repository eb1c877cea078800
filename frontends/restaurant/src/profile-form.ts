// The restaurant's details: name, cuisine, phone, description, default preparation time.
import { LitElement, css, html, nothing } from "lit";
import { controls, problemText } from "@fd/ui-kit";
import type { ProfileChanges, Restaurant } from "./api";
import { formProblems, NO_PROBLEMS, valueOf, type FormProblems } from "./forms";
import { panel } from "./panel-styles";
import { kitchen } from "./store";

interface Draft {
  name: string;
  cuisine: string;
  phone: string;
  description: string;
  defaultPrepMinutes: string;
}

const FIELDS: Record<string, string> = {
  name: "name",
  cuisine: "cuisine",
  phone: "phone",
  description: "description",
  defaultPrepMinutes: "defaultPrepMinutes",
};

function draftOf(r: Restaurant): Draft {
  return {
    name: r.name,
    cuisine: r.cuisine,
    phone: r.phone ?? "",
    description: r.description ?? "",
    defaultPrepMinutes: String(r.defaultPrepMinutes),
  };
}

export class ProfileForm extends LitElement {
  declare restaurant: Restaurant;
  declare draft: Draft | null;
  declare problems: FormProblems;
  declare busy: boolean;
  declare saved: boolean;

  static properties = {
    restaurant: { attribute: false },
    draft: { state: true },
    problems: { state: true },
    busy: { state: true },
    saved: { state: true },
  };

  constructor() {
    super();
    this.draft = null;
    this.problems = NO_PROBLEMS;
    this.busy = false;
    this.saved = false;
  }

  static styles = [
    controls,
    panel,
    css`
      :host {
        height: auto;
        overflow: visible;
      }
      form {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--fd-space-3);
      }
      .wide {
        grid-column: 1 / -1;
      }
      .buttons {
        grid-column: 1 / -1;
        display: flex;
        align-items: center;
        justify-content: flex-end;
        gap: var(--fd-space-3);
      }
      .saved {
        color: var(--fd-success);
        font-weight: 600;
        font-size: var(--fd-text-sm);
      }
      .address {
        margin: 0;
        color: var(--fd-text-muted);
        font-size: var(--fd-text-sm);
      }
    `,
  ];

  render() {
    const r = this.restaurant;
    const d = this.draft ?? draftOf(r);
    const f = this.problems.fields;
    const input = (key: keyof Draft, label: string, attrs: { cls?: string; type?: string; max?: number; hint?: string } = {}) =>
      html`<label class="field ${attrs.cls ?? ""}">
        <span>${label}</span>
        <input
          type=${attrs.type ?? "text"}
          maxlength=${attrs.max ?? 500}
          min=${attrs.type === "number" ? 1 : nothing}
          max=${attrs.type === "number" ? 240 : nothing}
          data-testid="profile-${key}"
          aria-invalid=${f[key] ? "true" : "false"}
          aria-describedby=${f[key] ? `profile-${key}-problem` : nothing}
          .value=${d[key]}
          @input=${(e: Event) => {
            this.draft = { ...d, [key]: valueOf(e) };
            this.saved = false;
          }}
        />
        ${attrs.hint ? html`<small class="hint">${attrs.hint}</small>` : nothing}
        ${f[key]
          ? html`<p class="field-problem" id="profile-${key}-problem" role="alert" data-testid="problem">${f[key]}</p>`
          : nothing}
      </label>`;
    return html`<section class="card" aria-labelledby="profile-title">
      <div class="card-head">
        <h2 id="profile-title">Restaurant details</h2>
      </div>
      <div class="card-body">
        <form @submit=${this.save} novalidate>
          ${input("name", "Name", { cls: "wide", max: 80 })} ${input("cuisine", "Cuisine", { max: 40 })}
          ${input("phone", "Phone", { type: "tel", max: 30 })}
          ${input("defaultPrepMinutes", "Prep time (min)", { type: "number", hint: "Suggested when accepting" })}
          <p class="address wide">${r.address.line1}, ${r.address.postcode} ${r.address.city}</p>
          ${input("description", "Description", { cls: "wide", max: 500 })}
          ${this.problems.general
            ? html`<p class="problem wide" role="alert" data-testid="problem">${problemText(this.problems.general)}</p>`
            : nothing}
          <div class="buttons">
            ${this.saved ? html`<span class="saved" role="status">Saved</span>` : nothing}
            <button class="btn" type="button" ?disabled=${this.busy || !this.draft} @click=${this.reset}>Reset</button>
            <button class="btn primary" type="submit" data-testid="save-profile" ?disabled=${this.busy}>
              ${this.busy ? "Saving…" : "Save details"}
            </button>
          </div>
        </form>
      </div>
    </section>`;
  }

  private reset(): void {
    this.draft = null;
    this.problems = NO_PROBLEMS;
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.draft) return;
    const r = this.restaurant;
    const d = this.draft;
    const changes: ProfileChanges = {};
    const fields: Record<string, string> = {};
    if (d.name.trim() !== r.name) changes.name = d.name.trim();
    if (d.cuisine.trim() !== r.cuisine) changes.cuisine = d.cuisine.trim();
    if (d.phone.trim() !== (r.phone ?? "")) changes.phone = d.phone.trim();
    if (d.description.trim() !== (r.description ?? "")) changes.description = d.description.trim();
    const prep = Number(d.defaultPrepMinutes);
    if (!Number.isInteger(prep) || prep < 1 || prep > 240) fields.defaultPrepMinutes = "Enter whole minutes from 1 to 240.";
    else if (prep !== r.defaultPrepMinutes) changes.defaultPrepMinutes = prep;
    if (Object.keys(fields).length) {
      this.problems = { fields, general: null };
      return;
    }
    if (Object.keys(changes).length === 0) {
      this.draft = null;
      return;
    }
    this.busy = true;
    const problem = await kitchen.updateProfile(changes);
    this.busy = false;
    this.problems = formProblems(problem, FIELDS);
    if (!problem) {
      this.draft = null;
      this.saved = true;
    }
  }
}

customElements.define("profile-form", ProfileForm);
