// The cart: lines of one restaurant's menu, and the checkout draft (address, note, the
// request key of the attempt being sent). Kept in localStorage per signed-in customer, so
// it survives reloads and another customer on the same device starts with their own.
// Functions here are pure: they return a new cart (the store persists it).
import { storedJson, type Money, type StoredValue } from "@fd/ui-kit";
import type { MenuItem, Restaurant } from "./api";

/** most portions of one item (the server's limit) */
export const MAX_QUANTITY = 99;
/** most different items in one cart (the server's limit) */
export const MAX_LINES = 30;
export const NOTE_MAX = 200;
export const ADDRESS_PART_MAX = 80;

export interface CartLine {
  menuItemId: string;
  name: string;
  unitPrice: Money;
  quantity: number;
}

export interface AddressDraft {
  line1: string;
  postcode: string;
  city: string;
}

export interface Cart {
  restaurantId: string | null;
  restaurantName: string;
  lines: CartLine[];
  /** what the customer typed; null: not edited (their last address is used) */
  address: AddressDraft | null;
  note: string;
  /** the key of the checkout attempt in flight or to retry; null until one is sent */
  requestKey: string | null;
}

export function emptyCart(): Cart {
  return { restaurantId: null, restaurantName: "", lines: [], address: null, note: "", requestKey: null };
}

const isText = (value: unknown): value is string => typeof value === "string";

function parseMoney(raw: unknown): Money | null {
  const m = raw as Partial<Money> | null;
  return m && Number.isInteger(m.amount) && isText(m.currency) ? { amount: m.amount!, currency: m.currency } : null;
}

function parseLine(raw: unknown): CartLine | null {
  const l = raw as Partial<CartLine> | null;
  const price = parseMoney(l?.unitPrice);
  if (!l || !isText(l.menuItemId) || !isText(l.name) || !price) return null;
  const quantity = Number(l.quantity);
  if (!Number.isInteger(quantity) || quantity < 1) return null;
  return { menuItemId: l.menuItemId, name: l.name, unitPrice: price, quantity: Math.min(quantity, MAX_QUANTITY) };
}

/** A cart as stored (null when it is not one: the fallback, an empty cart, is used). */
export function parseCart(raw: unknown): Cart | null {
  const c = raw as Partial<Cart> | null;
  if (!c || typeof c !== "object" || !Array.isArray(c.lines)) return null;
  const lines = c.lines.map(parseLine).filter((l): l is CartLine => l !== null);
  const a = c.address as Partial<AddressDraft> | null | undefined;
  const address = a && isText(a.line1) && isText(a.postcode) && isText(a.city) ? { line1: a.line1, postcode: a.postcode, city: a.city } : null;
  return {
    restaurantId: lines.length && isText(c.restaurantId) ? c.restaurantId : null,
    restaurantName: lines.length && isText(c.restaurantName) ? c.restaurantName : "",
    lines,
    address,
    note: isText(c.note) ? c.note.slice(0, NOTE_MAX) : "",
    requestKey: isText(c.requestKey) ? c.requestKey : null,
  };
}

/** The cart of one customer in localStorage. */
export function storedCart(customerId: string): StoredValue<Cart> {
  return storedJson(`fd.customer.cart.${customerId}`, parseCart, emptyCart);
}

export function quantityOf(cart: Cart, menuItemId: string): number {
  return cart.lines.find((l) => l.menuItemId === menuItemId)?.quantity ?? 0;
}

export function itemCount(cart: Cart): number {
  return cart.lines.reduce((n, l) => n + l.quantity, 0);
}

/** The cart holds items of another restaurant than this one. */
export function belongsElsewhere(cart: Cart, restaurantId: string): boolean {
  return cart.lines.length > 0 && cart.restaurantId !== null && cart.restaurantId !== restaurantId;
}

/** One more of an item (the cart must be empty or this restaurant's). */
export function addOne(cart: Cart, restaurant: Pick<Restaurant, "id" | "name">, item: MenuItem): Cart {
  const base = belongsElsewhere(cart, restaurant.id) ? { ...cart, lines: [] } : cart;
  const existing = base.lines.find((l) => l.menuItemId === item.id);
  if (!existing && base.lines.length >= MAX_LINES) return cart;
  const lines = existing
    ? base.lines.map((l) => (l.menuItemId === item.id ? { ...l, quantity: Math.min(MAX_QUANTITY, l.quantity + 1) } : l))
    : [...base.lines, { menuItemId: item.id, name: item.name, unitPrice: item.price, quantity: 1 }];
  return { ...base, restaurantId: restaurant.id, restaurantName: restaurant.name, lines };
}

/** Sets a line's quantity; 0 removes it (and an emptied cart forgets its restaurant). */
export function withQuantity(cart: Cart, menuItemId: string, quantity: number): Cart {
  const q = Math.max(0, Math.min(MAX_QUANTITY, Math.floor(quantity)));
  const lines = cart.lines
    .map((l) => (l.menuItemId === menuItemId ? { ...l, quantity: q } : l))
    .filter((l) => l.quantity > 0);
  return lines.length ? { ...cart, lines } : { ...cart, lines, restaurantId: null, restaurantName: "", requestKey: null };
}

/** Names and prices as the restaurant's menu says now (quantities kept). */
export function withMenu(cart: Cart, restaurant: Restaurant): Cart {
  if (cart.restaurantId !== restaurant.id) return cart;
  const items = new Map(restaurant.menu.flatMap((s) => s.items).map((i) => [i.id, i]));
  let changed = restaurant.name !== cart.restaurantName;
  const lines = cart.lines.map((l) => {
    const item = items.get(l.menuItemId);
    if (!item || (item.name === l.name && item.price.amount === l.unitPrice.amount && item.price.currency === l.unitPrice.currency)) {
      return l;
    }
    changed = true;
    return { ...l, name: item.name, unitPrice: item.price };
  });
  return changed ? { ...cart, restaurantName: restaurant.name, lines } : cart;
}

export function subtotal(cart: Cart): Money {
  const currency = cart.lines[0]?.unitPrice.currency ?? "EUR";
  return { amount: cart.lines.reduce((sum, l) => sum + l.unitPrice.amount * l.quantity, 0), currency };
}

export function lineTotal(line: CartLine): Money {
  return { amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency };
}

export type LineAvailability = "available" | "sold-out" | "gone" | "unknown";

/** Whether a cart line can still be ordered, as far as the known menu says. */
export function availability(line: CartLine, restaurant: Restaurant | undefined): LineAvailability {
  if (!restaurant) return "unknown";
  const item = restaurant.menu.flatMap((s) => s.items).find((i) => i.id === line.menuItemId);
  if (!item) return "gone";
  return item.available ? "available" : "sold-out";
}
