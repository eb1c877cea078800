// The ordering app's state and everything that changes it. Components read it and call its
// actions; it tells them to re-render through `subscribe` (SubscribeController).
//
// Flow:
// - Start: the signed-in customer's cart is read from localStorage (per customer id, from
//   the token), `me` is fetched (its lastAddress is the delivery point), then the data of
//   the page the hash names. Hash changes load the new page's data (cached data shows at
//   once and is refreshed quietly).
// - Live: `myOrders` pushes every change of the customer's orders (ORDER, POSITION), each
//   with the whole order, merged by `mergeOrder` into `orders`; `catalog` pushes restaurants
//   and menus (opening, closing, items selling out) into `restaurants`. RESYNC, a websocket
//   that reconnected, and a page shown again refetch what the current page shows.
// - Cart: every change is saved (and other tabs' changes are taken over). Checkout sends
//   placeOrder with the cart's request key: created for an attempt, kept (and saved) while
//   its outcome is unknown (a lost answer), so the retry never places a second order;
//   dropped once the server answered (placed: the cart empties; a problem: nothing written).
import {
  fieldProblemText,
  hashPath,
  liveConnection,
  navigate,
  newRequestKey,
  onHashChange,
  problemFromError,
  problemIndex,
  problemOf,
  problemText,
  ticker,
  tokenSubject,
  UnauthorizedError,
  type ConnectionState,
  type GeoPoint,
  type Money,
  type Problem,
  type StoredValue,
} from "@fd/ui-kit";
import * as api from "./api";
import type { DeliveryEstimate, Me, MenuItem, Order, Restaurant, RestaurantWithEstimate } from "./api";
import {
  addOne,
  belongsElsewhere,
  emptyCart,
  itemCount,
  storedCart,
  subtotal,
  withMenu,
  withQuantity,
  type AddressDraft,
  type Cart,
} from "./cart";
import { isActive, mergeOrder } from "./orders";

export type Route =
  | { page: "home" }
  | { page: "restaurant"; id: string }
  | { page: "cart" }
  | { page: "orders" }
  | { page: "order"; id: string };

export type Load = "idle" | "loading" | "ready" | "missing" | "error";

/** Where a checkout problem is shown. */
export type ProblemPlace = { at: "line"; menuItemId: string } | { at: "field"; field: keyof AddressDraft | "note" } | { at: "address" } | { at: "general" };

export interface CheckoutProblem {
  problem: Problem;
  place: ProblemPlace;
  text: string;
}

const TICK_MS = 15_000;
const SAFETY_REFRESH_MS = 60_000;
const MAX_PAGE = 50;

export function routeOf(parts: string[]): Route {
  const [first, id] = parts;
  if (first === "restaurant" && id) return { page: "restaurant", id };
  if (first === "cart") return { page: "cart" };
  if (first === "orders" && id) return { page: "order", id };
  if (first === "orders") return { page: "orders" };
  return { page: "home" };
}

export function routeParts(route: Route): string[] {
  switch (route.page) {
    case "home":
      return [];
    case "restaurant":
      return ["restaurant", route.id];
    case "cart":
      return ["cart"];
    case "orders":
      return ["orders"];
    case "order":
      return ["orders", route.id];
  }
}

const ADDRESS_FIELDS: Record<string, keyof AddressDraft> = {
  "deliveryAddress.line1": "line1",
  "deliveryAddress.postcode": "postcode",
  "deliveryAddress.city": "city",
};

export class ShopStore {
  route: Route = routeOf(hashPath());
  me: Me | null = null;
  meState: Load = "idle";
  meProblem: string | null = null;
  connection: ConnectionState = "idle";
  now = Date.now();
  /** a background refresh failed (the page may be stale) */
  syncProblem: string | null = null;

  // ---- catalog ----
  /** every restaurant seen (list, menu pages, live updates), by id */
  readonly restaurants = new Map<string, Restaurant>();
  /** delivery fee and distance to the customer's address, by restaurant id */
  readonly estimates = new Map<string, DeliveryEstimate>();
  /** the home page's list, in the server's order (by name) */
  listIds: string[] = [];
  listCursor: string | null = null;
  listState: Load = "idle";
  listMore = false;
  listProblem: Problem | null = null;
  showClosed = false;
  readonly restaurantState = new Map<string, Load>();
  readonly restaurantProblem = new Map<string, Problem>();

  // ---- cart and checkout ----
  cart: Cart = emptyCart();
  placing = false;
  checkoutProblem: CheckoutProblem | null = null;
  /** client-side checks of the address form, by field */
  invalid: Partial<Record<keyof AddressDraft, string>> = {};
  /** adding this item needs the cart of another restaurant cleared first */
  switchRequest: { restaurant: Restaurant; item: MenuItem } | null = null;

  // ---- orders ----
  readonly orders = new Map<string, Order>();
  /** the My orders page's list, newest first; null until loaded */
  orderIds: string[] | null = null;
  ordersCursor: string | null = null;
  ordersState: Load = "idle";
  ordersMore = false;
  ordersProblem: Problem | null = null;
  readonly orderState = new Map<string, Load>();
  readonly orderProblem = new Map<string, Problem>();
  cancelling: string | null = null;
  readonly cancelProblem = new Map<string, Problem>();

  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private saved: StoredValue<Cart> | null = null;
  private started = false;
  private listRequest = 0;
  private ordersRequest = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }

  // ---- lifecycle ----

  start(): void {
    if (this.started) return;
    this.started = true;
    const customerId = tokenSubject();
    if (customerId) {
      this.saved = storedCart(customerId);
      this.cart = this.saved.get();
      this.stops.push(
        this.saved.watch((cart) => {
          this.cart = cart;
          this.emit();
        }),
      );
    }
    this.stops.push(
      liveConnection.onChange(({ state, reconnected }) => {
        this.connection = state;
        // a reconnect: whatever changed while the connection was down
        if (state === "live" && reconnected) this.refresh();
        this.emit();
      }),
    );
    this.listenOrders();
    this.listenCatalog();
    this.stops.push(onHashChange((parts) => this.go(routeOf(parts))));
    this.stops.push(
      ticker(TICK_MS, (now) => {
        this.now = now;
        this.emit();
      }),
    );
    const safety = setInterval(() => {
      if (document.visibilityState === "visible") this.refresh();
    }, SAFETY_REFRESH_MS);
    this.stops.push(() => clearInterval(safety));
    const visible = () => {
      if (document.visibilityState === "visible") this.refresh();
    };
    document.addEventListener("visibilitychange", visible);
    this.stops.push(() => document.removeEventListener("visibilitychange", visible));
    void this.loadMe();
  }

  stop(): void {
    this.stops.splice(0).forEach((stop) => stop());
    this.started = false;
  }

  private listenOrders(): void {
    this.stops.push(
      api.subscribeMyOrders(
        (update) => {
          if (update.kind === "RESYNC") this.refreshOrders();
          else if (update.order) this.putOrder(update.order);
        },
        () => setTimeout(() => this.started && this.listenOrders(), 5_000),
      ),
    );
  }

  private listenCatalog(): void {
    this.stops.push(
      api.subscribeCatalog(
        (update) => {
          if (update.kind === "RESYNC") this.refreshCatalog();
          else if (update.restaurant) this.putRestaurant(update.restaurant, true);
        },
        () => setTimeout(() => this.started && this.listenCatalog(), 5_000),
      ),
    );
  }

  async loadMe(): Promise<void> {
    this.meState = "loading";
    this.emit();
    try {
      this.me = await api.fetchMe();
      this.meState = "ready";
      this.meProblem = null;
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      this.meState = "error";
      this.meProblem = problemText(problemFromError(error));
      this.emit();
      return;
    }
    this.enter(this.route, false);
    // the orders in progress, for the nav's badge (and the subscription's list to merge into)
    if (!this.orderIds && this.route.page !== "orders") void this.loadOrders("reset");
    this.emit();
  }

  /** Connected, and the first data is in: what the "Live" indicator means. */
  get liveState(): ConnectionState {
    return this.connection === "live" && this.meState !== "ready" ? "connecting" : this.connection;
  }

  /** Where the food goes: the customer's last address (a geocoder for typed ones is out of scope). */
  get deliveryPoint(): GeoPoint | null {
    return this.me?.lastAddress?.location ?? null;
  }

  // ---- navigation ----

  /** Follow a hash change: show the page and load what it needs. */
  go(route: Route): void {
    this.route = route;
    if (this.meState === "ready") this.enter(route, false);
    this.emit();
  }

  private enter(route: Route, quiet: boolean): void {
    switch (route.page) {
      case "home":
        if (quiet || this.listState === "ready") void this.loadRestaurants("refresh");
        else void this.loadRestaurants("reset");
        return;
      case "restaurant":
        void this.loadRestaurant(route.id);
        if (!quiet) void api.recordMenuView(route.id).catch(() => undefined); // fire and forget
        return;
      case "cart":
        if (this.cart.restaurantId) void this.loadRestaurant(this.cart.restaurantId);
        return;
      case "orders":
        void this.loadOrders(this.orderIds ? "refresh" : "reset");
        return;
      case "order":
        void this.loadOrder(route.id);
        return;
    }
  }

  /** Refetch what the current page shows (after a reconnect, a RESYNC, a page shown again). */
  refresh(): void {
    if (this.meState === "error") {
      void this.loadMe();
      return;
    }
    if (this.meState !== "ready") return;
    this.enter(this.route, true);
  }

  private refreshOrders(): void {
    if (this.route.page === "orders" || this.route.page === "order") this.enter(this.route, true);
    else if (this.orderIds) void this.loadOrders("refresh");
  }

  private refreshCatalog(): void {
    if (this.route.page === "home" || this.route.page === "restaurant" || this.route.page === "cart") {
      this.enter(this.route, true);
    }
  }

  // ---- restaurants ----

  toggleClosed(): void {
    this.showClosed = !this.showClosed;
    void this.loadRestaurants("reset");
  }

  /** reset: the first page; more: the next page; refresh: what is loaded, again. */
  async loadRestaurants(mode: "reset" | "more" | "refresh"): Promise<void> {
    if (mode === "more" && (this.listMore || !this.listCursor)) return;
    const request = ++this.listRequest;
    const first = mode === "refresh" ? Math.min(MAX_PAGE, Math.max(api.RESTAURANT_PAGE, this.listIds.length)) : api.RESTAURANT_PAGE;
    if (mode === "more") this.listMore = true;
    else if (mode === "reset" || this.listState !== "ready") this.listState = "loading";
    this.listProblem = null;
    this.emit();
    try {
      const page = await api.fetchRestaurants(
        this.deliveryPoint,
        mode === "more" ? this.listCursor : null,
        !this.showClosed,
        first,
      );
      if (request !== this.listRequest && mode !== "more") return; // a newer list was asked for
      for (const r of page.items) this.putRestaurant(r, false);
      const ids = page.items.map((r) => r.id);
      this.listIds = mode === "more" ? [...this.listIds, ...ids.filter((id) => !this.listIds.includes(id))] : ids;
      this.listCursor = page.nextCursor;
      this.listState = "ready";
      this.syncProblem = null;
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      const problem = problemFromError(error);
      if (mode === "refresh" && this.listState === "ready") this.syncProblem = problemText(problem);
      else if (mode === "more") this.listProblem = problem;
      else {
        this.listState = "error";
        this.listProblem = problem;
      }
    } finally {
      if (mode === "more") this.listMore = false;
      this.emit();
    }
  }

  /** One restaurant with its menu (and the delivery estimate), e.g. for its menu page. */
  async loadRestaurant(id: string): Promise<void> {
    const known = this.restaurants.get(id);
    if (!known || this.restaurantState.get(id) !== "ready") this.restaurantState.set(id, "loading");
    this.restaurantProblem.delete(id);
    this.emit();
    try {
      const found = await api.fetchRestaurant(id, this.deliveryPoint);
      if (found) {
        this.putRestaurant(found, false);
        this.restaurantState.set(id, "ready");
      } else {
        this.restaurantState.set(id, "missing");
      }
      this.syncProblem = null;
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      if (known) {
        this.restaurantState.set(id, "ready");
        this.syncProblem = problemText(problemFromError(error));
      } else {
        this.restaurantState.set(id, "error");
        this.restaurantProblem.set(id, problemFromError(error));
      }
    }
    this.emit();
  }

  /** A restaurant from a query or a live update (`live`: it may be new to the list). */
  private putRestaurant(restaurant: RestaurantWithEstimate, live: boolean): void {
    const { deliveryTo, ...details } = restaurant;
    if (deliveryTo) this.estimates.set(details.id, deliveryTo);
    const previous = this.restaurants.get(details.id);
    if (previous && previous.updatedAt > details.updatedAt) return;
    this.restaurants.set(details.id, details);
    if (this.cart.restaurantId === details.id) this.saveCart(withMenu(this.cart, details), false);
    if (live) {
      if (this.restaurantState.get(details.id) === "missing") this.restaurantState.set(details.id, "ready");
      this.placeInList(details);
      this.emit();
    }
  }

  /** A restaurant that opened (or is new) goes into the loaded part of the list. */
  private placeInList(restaurant: Restaurant): void {
    if (this.listState !== "ready" || this.listIds.includes(restaurant.id)) return;
    if (!restaurant.isOpen && !this.showClosed) return;
    const key = (r: Restaurant | undefined) => `${r?.name ?? ""}\u0000${r?.id ?? ""}`;
    const last = this.restaurants.get(this.listIds[this.listIds.length - 1] ?? "");
    if (this.listCursor && last && key(restaurant) > key(last)) return; // on a page not loaded yet
    const ids = [...this.listIds, restaurant.id];
    ids.sort((a, b) => (key(this.restaurants.get(a)) < key(this.restaurants.get(b)) ? -1 : 1));
    this.listIds = ids;
    if (!this.estimates.has(restaurant.id) && this.deliveryPoint) void this.loadRestaurant(restaurant.id);
  }

  // ---- cart ----

  private saveCart(cart: Cart, changedByCustomer = true): void {
    if (cart === this.cart) return;
    this.cart = cart;
    this.saved?.set(cart);
    if (changedByCustomer) this.checkoutProblem = null;
  }

  get cartCount(): number {
    return itemCount(this.cart);
  }

  add(restaurant: Restaurant, item: MenuItem): void {
    if (!item.available) return;
    if (belongsElsewhere(this.cart, restaurant.id)) {
      this.switchRequest = { restaurant, item };
    } else {
      this.saveCart(addOne(this.cart, restaurant, item));
    }
    this.emit();
  }

  /** The customer agreed to drop the other restaurant's cart for the item they added. */
  confirmSwitch(): void {
    const request = this.switchRequest;
    this.switchRequest = null;
    if (request) this.saveCart(addOne({ ...this.cart, lines: [], requestKey: null }, request.restaurant, request.item));
    this.emit();
  }

  cancelSwitch(): void {
    this.switchRequest = null;
    this.emit();
  }

  setQuantity(menuItemId: string, quantity: number): void {
    this.saveCart(withQuantity(this.cart, menuItemId, quantity));
    this.emit();
  }

  clearCart(): void {
    this.saveCart({ ...emptyCart(), address: this.cart.address, note: this.cart.note });
    this.emit();
  }

  /** The address form's values: what was typed, or the customer's last address. */
  get addressDraft(): AddressDraft {
    const last = this.me?.lastAddress;
    return this.cart.address ?? { line1: last?.line1 ?? "", postcode: last?.postcode ?? "", city: last?.city ?? "" };
  }

  setAddressField(field: keyof AddressDraft, value: string): void {
    this.cart = { ...this.cart, address: { ...this.addressDraft, [field]: value } };
    this.saved?.set(this.cart);
    if (this.invalid[field] && value.trim()) this.invalid = { ...this.invalid, [field]: undefined };
    const place = this.checkoutProblem?.place;
    if (place && ((place.at === "field" && place.field === field) || place.at === "address")) this.checkoutProblem = null;
    this.emit();
  }

  setNote(note: string): void {
    this.cart = { ...this.cart, note };
    this.saved?.set(this.cart);
    const place = this.checkoutProblem?.place;
    if (place?.at === "field" && place.field === "note") this.checkoutProblem = null;
    this.emit();
  }

  get deliveryFee(): Money | null {
    const id = this.cart.restaurantId;
    return id ? (this.estimates.get(id)?.fee ?? null) : null;
  }

  get cartSubtotal(): Money {
    return subtotal(this.cart);
  }

  get cartTotal(): Money | null {
    const fee = this.deliveryFee;
    const sub = this.cartSubtotal;
    return fee ? { amount: sub.amount + fee.amount, currency: sub.currency } : null;
  }

  /** Check the form; true when it can be sent. */
  private validate(): boolean {
    const draft = this.addressDraft;
    const invalid: Partial<Record<keyof AddressDraft, string>> = {};
    if (!draft.line1.trim()) invalid.line1 = "Enter the street and house number.";
    if (!draft.postcode.trim()) invalid.postcode = "Enter the postcode.";
    if (!draft.city.trim()) invalid.city = "Enter the city.";
    this.invalid = invalid;
    return Object.keys(invalid).length === 0;
  }

  /** Send the cart as an order; on success, go to its tracking page. */
  async placeOrder(): Promise<void> {
    if (this.placing || this.cart.lines.length === 0 || !this.cart.restaurantId) return;
    this.checkoutProblem = null;
    if (!this.validate()) {
      this.emit();
      return;
    }
    const point = this.deliveryPoint;
    if (!point) {
      this.checkoutProblem = {
        problem: { __typename: "Missing", code: "NO_LOCATION", message: "no map location is known for your address" },
        place: { at: "address" },
        text: "We have no map location for your address yet, and looking one up is not part of this demo.",
      };
      this.emit();
      return;
    }
    const draft = this.addressDraft;
    const restaurantId = this.cart.restaurantId;
    // this attempt's key, saved: a retry after a lost answer sends the same one
    const requestKey = this.cart.requestKey ?? newRequestKey();
    this.cart = { ...this.cart, requestKey };
    this.saved?.set(this.cart);
    const lines = this.cart.lines;
    this.placing = true;
    this.emit();
    try {
      const result = await api.placeOrder({
        restaurantId,
        items: lines.map((l) => ({ menuItemId: l.menuItemId, quantity: l.quantity })),
        deliveryAddress: {
          line1: draft.line1.trim(),
          postcode: draft.postcode.trim(),
          city: draft.city.trim(),
          lat: point.lat,
          lng: point.lng,
        },
        note: this.cart.note.trim() || null,
        requestKey,
      });
      const problem = problemOf(result);
      if (problem) {
        // a definite "no": nothing was written, the next try is a new attempt (a new key)
        this.cart = { ...this.cart, requestKey: null };
        this.saved?.set(this.cart);
        this.checkoutProblem = this.placeProblem(problem, lines.map((l) => l.menuItemId));
        return;
      }
      const order = result as Order;
      this.putOrder(order);
      this.orderState.set(order.id, "ready");
      if (this.me) this.me = { ...this.me, lastAddress: order.deliveryAddress };
      // the order is placed: an empty cart (the address form follows the new last address)
      this.cart = emptyCart();
      this.saved?.set(this.cart);
      navigate(["orders", order.id], { replace: true });
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      // the answer was lost: the order may exist; the same key retries safely
      const problem = problemFromError(error);
      this.checkoutProblem = { problem, place: { at: "general" }, text: `${problemText(problem)} Your order was not confirmed; you can safely try again.` };
    } finally {
      this.placing = false;
      this.emit();
    }
  }

  private placeProblem(problem: Problem, lineIds: string[]): CheckoutProblem {
    const field = problem.field ?? "";
    const index = problemIndex(problem, "items");
    if (problem.__typename === "InvalidInput") {
      if (index !== null && lineIds[index]) {
        return { problem, place: { at: "line", menuItemId: lineIds[index]! }, text: fieldProblemText(problem) };
      }
      const addressField = ADDRESS_FIELDS[field];
      if (addressField) return { problem, place: { at: "field", field: addressField }, text: fieldProblemText(problem) };
      if (field === "note") return { problem, place: { at: "field", field: "note" }, text: fieldProblemText(problem) };
      if (field.startsWith("deliveryAddress")) {
        return { problem, place: { at: "address" }, text: `Your address ${fieldProblemText(problem).replace(/^./, (c) => c.toLowerCase())}` };
      }
      return { problem, place: { at: "general" }, text: problemText(problem) };
    }
    return { problem, place: { at: "general" }, text: problemText(problem) };
  }

  // ---- orders ----

  /** An order from any source, merged with what is known. */
  private putOrder(order: Order): void {
    const merged = mergeOrder(this.orders.get(order.id), order);
    if (merged === this.orders.get(order.id)) return;
    this.orders.set(order.id, merged);
    if (this.orderState.get(order.id) === "missing") this.orderState.set(order.id, "ready");
    if (this.orderIds && !this.orderIds.includes(order.id)) {
      const last = this.orders.get(this.orderIds[this.orderIds.length - 1] ?? "");
      if (!this.ordersCursor || !last || order.placedAt >= last.placedAt) {
        this.orderIds = [...this.orderIds, order.id].sort(
          (a, b) => (this.orders.get(b)?.placedAt ?? 0) - (this.orders.get(a)?.placedAt ?? 0),
        );
      }
    }
    this.emit();
  }

  async loadOrders(mode: "reset" | "more" | "refresh"): Promise<void> {
    if (mode === "more" && (this.ordersMore || !this.ordersCursor)) return;
    const request = ++this.ordersRequest;
    const loaded = this.orderIds?.length ?? 0;
    const first = mode === "refresh" ? Math.min(MAX_PAGE, Math.max(api.ORDER_PAGE, loaded)) : api.ORDER_PAGE;
    if (mode === "more") this.ordersMore = true;
    else if (mode === "reset" || this.ordersState !== "ready") this.ordersState = "loading";
    this.ordersProblem = null;
    this.emit();
    try {
      const page = await api.fetchOrders(mode === "more" ? this.ordersCursor : null, first);
      if (request !== this.ordersRequest && mode !== "more") return;
      for (const order of page.items) this.putOrder(order);
      const ids = page.items.map((o) => o.id);
      const before = this.orderIds ?? [];
      this.orderIds = mode === "more" ? [...before, ...ids.filter((id) => !before.includes(id))] : ids;
      this.ordersCursor = page.nextCursor;
      this.ordersState = "ready";
      this.syncProblem = null;
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      const problem = problemFromError(error);
      if (mode === "refresh" && this.ordersState === "ready") this.syncProblem = problemText(problem);
      else if (mode === "more") this.ordersProblem = problem;
      else {
        this.ordersState = "error";
        this.ordersProblem = problem;
      }
    } finally {
      if (mode === "more") this.ordersMore = false;
      this.emit();
    }
  }

  /** One order (its tracking page). Right after placing, the view may not have it yet:
   * an unknown order is asked for again a few times before it counts as missing. */
  async loadOrder(id: string): Promise<void> {
    const known = this.orders.has(id);
    if (!known) this.orderState.set(id, "loading");
    this.orderProblem.delete(id);
    this.emit();
    try {
      let found = await api.fetchOrder(id);
      for (let attempt = 0; !found && !this.orders.has(id) && attempt < 3; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 600 * 2 ** attempt));
        found = await api.fetchOrder(id);
      }
      if (found) this.putOrder(found);
      this.orderState.set(id, this.orders.has(id) ? "ready" : "missing");
      this.syncProblem = null;
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      if (this.orders.has(id)) this.syncProblem = problemText(problemFromError(error));
      else {
        this.orderState.set(id, "error");
        this.orderProblem.set(id, problemFromError(error));
      }
    }
    this.emit();
  }

  /** Cancel while the kitchen has not decided; a Conflict (it just did) is kept to show. */
  async cancelOrder(id: string, reason: string): Promise<boolean> {
    if (this.cancelling) return false;
    this.cancelling = id;
    this.cancelProblem.delete(id);
    this.emit();
    try {
      const result = await api.cancelOrder(id, reason.trim() || null);
      const problem = problemOf(result);
      if (problem) {
        this.cancelProblem.set(id, problem);
        void this.loadOrder(id); // the order moved on: show where it is
        return false;
      }
      this.putOrder(result as Order);
      return true;
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) this.cancelProblem.set(id, problemFromError(error));
      return false;
    } finally {
      this.cancelling = null;
      this.emit();
    }
  }

  /** The customer's orders still on their way, newest first (for the nav badge). */
  get activeOrders(): Order[] {
    return [...this.orders.values()].filter(isActive).sort((a, b) => b.placedAt - a.placedAt);
  }
}

/** The one store of the app. */
export const shop = new ShopStore();
