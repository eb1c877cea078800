// One menu item in the editor: name, description, price, availability switch, edit
// (inline form) and remove (with an inline confirmation).
import { LitElement, css, html, nothing } from "lit";
import { controls, formatMoney, moneyInput, parseMoney, problemText, type Problem } from "@fd/ui-kit";
import type { MenuItem, MenuItemChanges } from "./api";
import { formProblems, MENU_ITEM_FIELDS, NO_PROBLEMS, valueOf, type FormProblems } from "./forms";
import { icons } from "./icons";
import { kitchen } from "./store";

type Mode = "view" | "edit" | "confirm-remove";

interface Draft {
  name: string;
  price: string;
  category: string;
  description: string;
}

export class MenuItemRow extends LitElement {
  declare item: MenuItem;
  declare mode: Mode;
  declare draft: Draft;
  declare problems: FormProblems;
  declare rowProblem: Problem | null;
  declare busy: boolean;
  /** the menu's categories, suggested in the category input */
  declare categories: string[];

  static properties = {
    item: { attribute: false },
    categories: { attribute: false },
    mode: { state: true },
    draft: { state: true },
    problems: { state: true },
    rowProblem: { state: true },
    busy: { state: true },
  };

  constructor() {
    super();
    this.mode = "view";
    this.draft = { name: "", price: "", category: "", description: "" };
    this.problems = NO_PROBLEMS;
    this.rowProblem = null;
    this.busy = false;
    this.categories = [];
  }

  static styles = [
    controls,
    css`
      :host {
        display: block;
        border-top: 1px solid var(--fd-border);
      }
      .row {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto auto auto;
        align-items: center;
        gap: var(--fd-space-2) var(--fd-space-3);
        padding: var(--fd-space-3) var(--fd-space-4);
      }
      .row.sold-out .name,
      .row.sold-out .price {
        color: var(--fd-text-muted);
      }
      .name {
        margin: 0;
        font-size: var(--fd-text-lg);
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      .desc {
        margin: 2px 0 0;
        font-size: var(--fd-text-sm);
        color: var(--fd-text-muted);
        overflow-wrap: anywhere;
      }
      .price {
        font-size: var(--fd-text-lg);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        text-align: right;
        min-width: 4.5rem;
      }
      .availability {
        display: flex;
        align-items: center;
        gap: var(--fd-space-2);
        min-width: 8.25rem;
      }
      .availability .state {
        font-size: var(--fd-text-sm);
        font-weight: 700;
        color: var(--fd-success);
      }
      .availability .state.off {
        color: var(--fd-danger);
      }
      .buttons {
        display: flex;
        gap: var(--fd-space-2);
      }
      .buttons .btn {
        min-width: 44px;
      }
      .full {
        grid-column: 1 / -1;
      }
      form {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1.2fr);
        gap: var(--fd-space-3);
        padding: var(--fd-space-4);
        background: var(--fd-primary-soft);
      }
      form .wide {
        grid-column: 1 / -1;
      }
      .form-buttons {
        grid-column: 1 / -1;
        display: flex;
        justify-content: flex-end;
        gap: var(--fd-space-2);
      }
      .confirm {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: var(--fd-space-3);
        padding: var(--fd-space-3) var(--fd-space-4);
        background: var(--fd-danger-soft);
      }
      .confirm p {
        margin: 0;
        flex: 1 1 240px;
        font-weight: 600;
      }
      @media (max-width: 700px) {
        .row {
          grid-template-columns: minmax(0, 1fr) auto;
        }
        .availability {
          min-width: 0;
        }
        form {
          grid-template-columns: 1fr 1fr;
        }
        form .name-field {
          grid-column: 1 / -1;
        }
      }
    `,
  ];

  render() {
    const item = this.item;
    return html`<div class="wrap" data-testid="menu-item-${item.id}">
      ${this.mode === "edit" ? this.renderForm() : this.mode === "confirm-remove" ? this.renderConfirm() : this.renderView()}
    </div>`;
  }

  private renderView() {
    const item = this.item;
    return html`
      <div class="row ${item.available ? "" : "sold-out"}">
        <div>
          <p class="name">${item.name}</p>
          ${item.description ? html`<p class="desc">${item.description}</p>` : nothing}
        </div>
        <div class="price">${formatMoney(item.price)}</div>
        <div class="availability">
          <button
            class="switch"
            type="button"
            role="switch"
            data-testid="available"
            aria-checked=${item.available ? "true" : "false"}
            aria-label="Available to order: ${item.name}"
            ?disabled=${this.busy}
            @click=${this.toggleAvailable}
          >
            <span class="knob"></span>
          </button>
          <span class="state ${item.available ? "" : "off"}" aria-hidden="true">${item.available ? "Available" : "Sold out"}</span>
        </div>
        <div class="buttons">
          <button class="btn small" type="button" data-testid="edit" aria-label="Edit ${item.name}" @click=${this.startEdit}>
            ${icons.pencil}<span>Edit</span>
          </button>
          <button
            class="btn small danger-outline"
            type="button"
            data-testid="remove"
            aria-label="Remove ${item.name}"
            @click=${this.askRemove}
          >
            ${icons.trash}
          </button>
        </div>
        ${this.rowProblem
          ? html`<p class="problem full" role="alert" data-testid="problem">${problemText(this.rowProblem)}</p>`
          : nothing}
      </div>
    `;
  }

  private renderForm() {
    const d = this.draft;
    const f = this.problems.fields;
    const field = (
      key: keyof Draft,
      label: string,
      testid: string,
      extra: { cls?: string; inputmode?: string; list?: string; max?: number } = {},
    ) => html`<label class="field ${extra.cls ?? ""}">
      <span>${label}</span>
      <input
        id="edit-${key}"
        type="text"
        data-testid=${testid}
        inputmode=${extra.inputmode ?? "text"}
        list=${extra.list ?? ""}
        maxlength=${extra.max ?? 500}
        autocomplete="off"
        aria-invalid=${f[key] ? "true" : "false"}
        aria-describedby=${f[key] ? `edit-${key}-problem` : nothing}
        .value=${d[key]}
        @input=${(e: Event) => (this.draft = { ...this.draft, [key]: valueOf(e) })}
      />
      ${f[key]
        ? html`<p class="field-problem" id="edit-${key}-problem" role="alert" data-testid="problem">${f[key]}</p>`
        : nothing}
    </label>`;
    return html`
      <form @submit=${this.save} @keydown=${this.formKey} novalidate aria-label="Edit ${this.item.name}">
        ${field("name", "Name", "item-name", { cls: "name-field", max: 80 })}
        ${field("price", "Price (€)", "item-price", { inputmode: "decimal", max: 12 })}
        ${field("category", "Category", "item-category", { list: "categories", max: 40 })}
        <datalist id="categories">${this.categories.map((c) => html`<option value=${c}></option>`)}</datalist>
        ${field("description", "Description", "item-description", { cls: "wide", max: 500 })}
        ${this.problems.general
          ? html`<p class="problem wide" role="alert" data-testid="problem">${problemText(this.problems.general)}</p>`
          : nothing}
        <div class="form-buttons">
          <button class="btn" type="button" @click=${this.cancel} ?disabled=${this.busy}>Cancel</button>
          <button class="btn primary" type="submit" data-testid="save-item" ?disabled=${this.busy}>
            ${this.busy ? "Saving…" : "Save"}
          </button>
        </div>
      </form>
    `;
  }

  private renderConfirm() {
    return html`<div class="confirm" role="group" aria-label="Confirm removal" @keydown=${this.formKey}>
      <p>Remove “${this.item.name}” from the menu? Customers will no longer see it.</p>
      <button class="btn" type="button" data-testid="cancel-remove" @click=${this.cancel} ?disabled=${this.busy}>Keep</button>
      <button class="btn danger" type="button" data-testid="confirm-remove" @click=${this.removeItem} ?disabled=${this.busy}>
        ${this.busy ? "Removing…" : "Remove"}
      </button>
      ${this.rowProblem
        ? html`<p class="problem full" role="alert" data-testid="problem">${problemText(this.rowProblem)}</p>`
        : nothing}
    </div>`;
  }

  private async toggleAvailable(): Promise<void> {
    this.rowProblem = null;
    this.busy = true;
    this.rowProblem = await kitchen.setAvailability(this.item.id, !this.item.available);
    this.busy = false;
  }

  private async startEdit(): Promise<void> {
    const item = this.item;
    this.draft = {
      name: item.name,
      price: moneyInput(item.price.amount, item.price.currency),
      category: item.category,
      description: item.description,
    };
    this.problems = NO_PROBLEMS;
    this.rowProblem = null;
    this.mode = "edit";
    this.dispatchEvent(new CustomEvent("row-editing", { detail: { id: item.id }, bubbles: true, composed: true }));
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>("#edit-name");
    input?.focus();
  }

  /** Leaves the edit form or the removal question (the editor calls it when another row opens). */
  async close(focus = true): Promise<void> {
    if (this.mode === "view") return;
    this.mode = "view";
    this.problems = NO_PROBLEMS;
    if (!focus) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-testid="edit"]')?.focus();
  }

  private cancel(): void {
    this.rowProblem = null;
    void this.close();
  }

  private formKey(event: KeyboardEvent): void {
    if (event.key === "Escape" && !this.busy) {
      event.preventDefault();
      this.cancel();
    }
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const item = this.item;
    const d = this.draft;
    const cents = parseMoney(d.price, item.price.currency);
    const fields: Record<string, string> = {};
    if (!d.name.trim()) fields.name = "Enter a name.";
    if (!d.category.trim()) fields.category = "Enter a category.";
    if (cents === null) fields.price = "Enter a price such as 9.50.";
    if (Object.keys(fields).length > 0 || cents === null) {
      this.problems = { fields, general: null };
      return;
    }
    const changes: MenuItemChanges = {};
    if (d.name.trim() !== item.name) changes.name = d.name.trim();
    if (d.description.trim() !== item.description) changes.description = d.description.trim();
    if (d.category.trim() !== item.category) changes.category = d.category.trim();
    if (cents !== item.price.amount) changes.priceCents = cents;
    if (Object.keys(changes).length === 0) {
      void this.close();
      return;
    }
    this.busy = true;
    const problem = await kitchen.editMenuItem(item.id, changes);
    this.busy = false;
    this.problems = formProblems(problem, MENU_ITEM_FIELDS, item.price.currency);
    if (!problem) void this.close();
  }

  private async askRemove(): Promise<void> {
    this.rowProblem = null;
    this.mode = "confirm-remove";
    this.dispatchEvent(new CustomEvent("row-editing", { detail: { id: this.item.id }, bubbles: true, composed: true }));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-testid="cancel-remove"]')?.focus();
  }

  private async removeItem(): Promise<void> {
    this.busy = true;
    const problem = await kitchen.removeMenuItem(this.item.id);
    this.busy = false;
    // on success this row goes away with the item
    this.rowProblem = problem;
  }
}

customElements.define("menu-item-row", MenuItemRow);
