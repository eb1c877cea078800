// The Menu tab: the items grouped by category (each row editable), a form to add an item,
// and the restaurant's details.
import { LitElement, css, html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { controls, parseMoney, problemText } from "@fd/ui-kit";
import type { MenuItem } from "./api";
import { StoreController } from "./controller";
import { formProblems, MENU_ITEM_FIELDS, NO_PROBLEMS, valueOf, type FormProblems } from "./forms";
import { icons } from "./icons";
import type { MenuItemRow } from "./menu-item-row";
import { panel } from "./panel-styles";
import "./menu-item-row";
import "./profile-form";

interface NewDraft {
  name: string;
  category: string;
  price: string;
  description: string;
}

const EMPTY: NewDraft = { name: "", category: "", price: "", description: "" };

/** Items by category, categories in the order they first appear on the menu. */
export function byCategory(items: MenuItem[]): [string, MenuItem[]][] {
  const groups = new Map<string, MenuItem[]>();
  for (const item of items) {
    const group = groups.get(item.category);
    if (group) group.push(item);
    else groups.set(item.category, [item]);
  }
  return [...groups];
}

export class MenuEditor extends LitElement {
  private readonly store = new StoreController(this).store;

  declare draft: NewDraft;
  declare problems: FormProblems;
  declare busy: boolean;
  declare added: boolean;

  static properties = {
    draft: { state: true },
    problems: { state: true },
    busy: { state: true },
    added: { state: true },
  };

  constructor() {
    super();
    this.draft = { ...EMPTY };
    this.problems = NO_PROBLEMS;
    this.busy = false;
    this.added = false;
    this.addEventListener("row-editing", (e) => this.onRowEditing(e as CustomEvent<{ id: string }>));
  }

  static styles = [
    controls,
    panel,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(290px, 1fr);
        gap: var(--fd-space-4);
        align-items: start;
      }
      aside {
        display: grid;
        gap: var(--fd-space-4);
      }
      .category {
        margin: 0;
        padding: var(--fd-space-3) var(--fd-space-4) var(--fd-space-2);
        display: flex;
        align-items: baseline;
        gap: var(--fd-space-2);
        background: var(--fd-surface-muted);
        border-top: 1px solid var(--fd-border);
        font-size: var(--fd-text-sm);
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--fd-text-muted);
      }
      .category .n {
        font-weight: 600;
        letter-spacing: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      form.add {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: var(--fd-space-3);
      }
      form.add .wide {
        grid-column: 1 / -1;
      }
      .add-buttons {
        grid-column: 1 / -1;
        display: flex;
        align-items: center;
        justify-content: flex-end;
        gap: var(--fd-space-3);
      }
      .added {
        color: var(--fd-success);
        font-weight: 600;
        font-size: var(--fd-text-sm);
      }
      .price-input {
        position: relative;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
        aside {
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
          align-items: start;
        }
      }
      @media (max-width: 640px) {
        aside {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  render() {
    const restaurant = this.store.restaurant;
    if (!restaurant) {
      return html`<div class="page">
        <div class="card empty">
          ${this.store.load === "loading" ? "Loading the menu…" : "This restaurant is not registered yet, so it has no menu."}
        </div>
      </div>`;
    }
    const items = restaurant.menu.items;
    const soldOut = items.filter((i) => !i.available).length;
    const groups = byCategory(items);
    const categories = groups.map(([c]) => c);
    return html`<div class="page">
      <div class="layout">
        <section class="card" aria-labelledby="menu-title">
          <div class="card-head">
            <h2 id="menu-title">Menu</h2>
            <span class="meta">${items.length} ${items.length === 1 ? "item" : "items"}${soldOut ? ` · ${soldOut} sold out` : ""}</span>
          </div>
          ${items.length === 0 ? html`<p class="empty">The menu is empty. Add the first item.</p>` : nothing}
          ${groups.map(
            ([category, group]) => html`
              <h3 class="category">${category} <span class="n">(${group.length})</span></h3>
              <ul aria-label=${category}>
                ${repeat(
                  group,
                  (i) => i.id,
                  (i) => html`<li><menu-item-row data-item=${i.id} .item=${i} .categories=${categories}></menu-item-row></li>`,
                )}
              </ul>
            `,
          )}
        </section>
        <aside>
          ${this.renderAddForm(categories)}
          <profile-form .restaurant=${restaurant}></profile-form>
        </aside>
      </div>
    </div>`;
  }

  private renderAddForm(categories: string[]) {
    const d = this.draft;
    const f = this.problems.fields;
    const input = (
      key: keyof NewDraft,
      label: string,
      attrs: { cls?: string; inputmode?: string; list?: string; max?: number; placeholder?: string } = {},
    ) => html`<label class="field ${attrs.cls ?? ""}">
      <span>${label}</span>
      <input
        id="new-${key}"
        type="text"
        data-testid="new-item-${key}"
        inputmode=${attrs.inputmode ?? "text"}
        list=${attrs.list ?? nothing}
        maxlength=${attrs.max ?? 500}
        placeholder=${attrs.placeholder ?? ""}
        autocomplete="off"
        aria-invalid=${f[key] ? "true" : "false"}
        aria-describedby=${f[key] ? `new-${key}-problem` : nothing}
        .value=${d[key]}
        @input=${(e: Event) => {
          this.draft = { ...this.draft, [key]: valueOf(e) };
          this.added = false;
        }}
      />
      ${f[key]
        ? html`<p class="field-problem" id="new-${key}-problem" role="alert" data-testid="problem">${f[key]}</p>`
        : nothing}
    </label>`;
    return html`<section class="card" aria-labelledby="add-title">
      <div class="card-head"><h2 id="add-title">Add an item</h2></div>
      <div class="card-body">
        <form class="add" @submit=${this.add} novalidate>
          ${input("name", "Name", { cls: "wide", max: 80 })}
          ${input("category", "Category", { list: "new-categories", max: 40 })}
          <datalist id="new-categories">${categories.map((c) => html`<option value=${c}></option>`)}</datalist>
          ${input("price", "Price (€)", { inputmode: "decimal", max: 12, placeholder: "9.50" })}
          ${input("description", "Description", { cls: "wide", max: 500 })}
          ${this.problems.general
            ? html`<p class="problem wide" role="alert" data-testid="problem">${problemText(this.problems.general)}</p>`
            : nothing}
          <div class="add-buttons">
            ${this.added ? html`<span class="added" role="status">Added to the menu</span>` : nothing}
            <button class="btn primary" type="submit" data-testid="add-item" ?disabled=${this.busy}>
              ${icons.plus}<span>${this.busy ? "Adding…" : "Add item"}</span>
            </button>
          </div>
        </form>
      </div>
    </section>`;
  }

  private async add(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const d = this.draft;
    const currency = this.store.restaurant?.menu.items[0]?.price.currency ?? "EUR";
    const cents = parseMoney(d.price, currency);
    const fields: Record<string, string> = {};
    if (!d.name.trim()) fields.name = "Enter a name.";
    if (!d.category.trim()) fields.category = "Enter a category.";
    if (cents === null) fields.price = "Enter a price such as 9.50.";
    if (Object.keys(fields).length > 0 || cents === null) {
      this.problems = { fields, general: null };
      const first = Object.keys(fields)[0];
      this.renderRoot.querySelector<HTMLInputElement>(`#new-${first}`)?.focus();
      return;
    }
    this.busy = true;
    const problem = await this.store.addMenuItem({
      name: d.name.trim(),
      category: d.category.trim(),
      priceCents: cents,
      description: d.description.trim(),
    });
    this.busy = false;
    this.problems = formProblems(problem, MENU_ITEM_FIELDS, currency);
    if (!problem) {
      this.draft = { ...EMPTY, category: d.category.trim() };
      this.added = true;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>("#new-name")?.focus();
    }
  }

  /** One row edits at a time: close the others. */
  private onRowEditing(event: CustomEvent<{ id: string }>): void {
    for (const row of this.renderRoot.querySelectorAll<MenuItemRow>("menu-item-row")) {
      if (row.item.id !== event.detail.id) void row.close(false);
    }
  }
}

customElements.define("menu-editor", MenuEditor);
