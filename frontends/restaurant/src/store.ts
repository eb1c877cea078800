// The console's state and everything that changes it. Components read it and call its
// actions; it tells them to re-render through `subscribe` (see controller.ts).
//
// Flow: the kitchen subscription pushes a KitchenUpdate -> onUpdate: a TICKET goes into
// the TicketBoard (board.ts), which puts it in the column its `column` field names (or drops
// it when DONE); a ticket new to the board in NEW raises the new-order cue (alert banner,
// pulsing card, chime, title count). RESTAURANT / POPULARITY refetch those; RESYNC and every
// reconnect of the websocket refetch everything (updates may have been missed).
import {
  Chime,
  formatMoney,
  liveConnection,
  problemFromError,
  problemOf,
  problemText,
  storedFlag,
  ticker,
  UnauthorizedError,
  type ConnectionState,
  type Problem,
} from "@fd/ui-kit";
import * as api from "./api";
import type {
  KitchenUpdate,
  MenuItem,
  MenuItemChanges,
  MenuViewHistory,
  NewMenuItem,
  Popularity,
  ProfileChanges,
  Restaurant,
  Ticket,
} from "./api";
import { shortNumber, TicketBoard } from "./board";

export type Tab = "orders" | "menu" | "insights";
export type TicketAction = "accept" | "reject" | "ready";
export type LoadState = "loading" | "ready" | "error";

const SAFETY_REFRESH_MS = 60_000;
const REMINDER_MS = 60_000;
const TICK_MS = 30_000;

export class KitchenStore {
  readonly board = new TicketBoard();
  readonly chime = new Chime();
  private readonly soundPreference = storedFlag("fd.kitchen.sound", true);

  me: { id: string; name: string } | null = null;
  restaurant: Restaurant | null = null;
  popularity: Popularity | null = null;
  popularityAt: number | null = null;
  /** menu views per day from the event lake (fetched when Insights opens, and on refresh) */
  menuViews: MenuViewHistory | null = null;
  menuViewsLoading = false;
  menuViewsProblem: string | null = null;
  load: LoadState = "loading";
  loadProblem: string | null = null;
  /** the last background refresh failed (shown discreetly; the data may be stale) */
  syncProblem: string | null = null;
  connection: ConnectionState = "idle";
  now = Date.now();
  tab: Tab = "orders";

  /** unacknowledged new orders, oldest first */
  alerts: string[] = [];
  sound = this.soundPreference.get();
  soundReady = false;

  /** decisions on their way to the server */
  readonly pending = new Map<string, TicketAction>();
  /** a failed decision, shown on the ticket next to its button */
  readonly ticketProblems = new Map<string, Problem>();
  openBusy = false;
  openProblem: Problem | null = null;

  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private initialized = false;
  private boardRequest: Promise<void> | null = null;
  private boardAgain = false;
  private debounced = new Map<string, ReturnType<typeof setTimeout>>();
  private lastReminder = 0;
  private started = false;
  private readonly openedAt = Date.now();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    this.now = Date.now();
    this.alerts = this.alerts.filter((id) => this.board.get(id)?.column === "NEW");
    for (const [id] of this.ticketProblems) if (!this.board.get(id)) this.ticketProblems.delete(id);
    for (const listener of [...this.listeners]) listener();
  }

  // ---- lifecycle ----

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stops.push(
      liveConnection.onChange(({ state, reconnected }) => {
        this.connection = state;
        if (state === "live") {
          // first connect: close the gap between the first load and the subscription;
          // reconnect: whatever happened while we were away
          if (reconnected) this.refreshAll();
          else void this.refreshBoard();
        }
        this.emit();
      }),
    );
    this.listen();
    void this.loadEverything();
    this.stops.push(
      ticker(TICK_MS, (now) => {
        this.now = now;
        this.remind(now);
        this.emit();
      }),
    );
    const safety = setInterval(() => void this.refreshBoard(), SAFETY_REFRESH_MS);
    this.stops.push(() => clearInterval(safety));
    const visible = () => {
      if (document.visibilityState === "visible") void this.refreshBoard();
    };
    document.addEventListener("visibilitychange", visible);
    this.stops.push(() => document.removeEventListener("visibilitychange", visible));
    this.stops.push(this.chime.unlockOnFirstGesture());
    this.stops.push(
      this.chime.onChange(() => {
        this.soundReady = this.chime.ready;
        this.emit();
      }),
    );
  }

  stop(): void {
    this.stops.splice(0).forEach((stop) => stop());
    this.started = false;
  }

  private listen(): void {
    const stop = api.subscribeKitchen(
      (update) => this.onUpdate(update),
      () => {
        // the server ended the subscription with an error: start it again shortly
        setTimeout(() => this.started && this.listen(), 5_000);
      },
    );
    this.stops.push(stop);
  }

  async loadEverything(): Promise<void> {
    const requestedAt = Date.now();
    try {
      const data = await api.fetchEverything();
      this.me = data.me;
      this.restaurant = data.restaurant;
      this.popularity = data.popularity;
      this.popularityAt = Date.now();
      this.applyBoard(data.board, requestedAt);
      this.load = "ready";
      this.loadProblem = null;
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      this.load = this.initialized ? "ready" : "error";
      this.loadProblem = problemText(problemFromError(error));
    }
    this.emit();
  }

  /** Refetch the board (coalesced: one request at a time, one more if asked meanwhile). */
  refreshBoard(): Promise<void> {
    if (this.boardRequest) {
      this.boardAgain = true;
      return this.boardRequest;
    }
    this.boardRequest = (async () => {
      do {
        this.boardAgain = false;
        const requestedAt = Date.now();
        try {
          this.applyBoard(await api.fetchBoard(), requestedAt);
          this.syncProblem = null;
          if (this.load === "error") void this.loadEverything();
        } catch (error) {
          if (error instanceof UnauthorizedError) return;
          this.syncProblem = problemText(problemFromError(error));
        }
        this.emit();
      } while (this.boardAgain);
    })().finally(() => {
      this.boardRequest = null;
    });
    return this.boardRequest;
  }

  async refreshRestaurant(): Promise<void> {
    try {
      this.restaurant = await api.fetchRestaurant();
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) this.syncProblem = problemText(problemFromError(error));
    }
    this.emit();
  }

  async refreshPopularity(): Promise<void> {
    try {
      this.popularity = await api.fetchPopularity();
      this.popularityAt = Date.now();
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) this.syncProblem = problemText(problemFromError(error));
    }
    this.emit();
  }

  async refreshMenuViews(): Promise<void> {
    if (this.menuViewsLoading) return;
    this.menuViewsLoading = true;
    this.emit();
    try {
      this.menuViews = await api.fetchMenuViewHistory();
      this.menuViewsProblem = null;
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) this.menuViewsProblem = problemText(problemFromError(error));
    } finally {
      this.menuViewsLoading = false;
    }
    this.emit();
  }

  refreshAll(): void {
    void this.refreshBoard();
    void this.refreshRestaurant();
    void this.refreshPopularity();
  }

  private later(key: string, run: () => void, ms = 250): void {
    clearTimeout(this.debounced.get(key));
    this.debounced.set(
      key,
      setTimeout(() => {
        this.debounced.delete(key);
        run();
      }, ms),
    );
  }

  private applyBoard(data: api.Board, requestedAt: number): void {
    const added = this.board.applySnapshot(data, requestedAt);
    for (const ticket of added) {
      // orders that came in while the connection was down (or while the console was
      // starting): cue them like live ones; those already waiting at start are not news
      if (ticket.column === "NEW" && (this.initialized || ticket.placedAt >= this.openedAt)) this.arrived(ticket);
    }
    this.initialized = true;
  }

  // ---- live updates ----

  onUpdate(update: KitchenUpdate): void {
    switch (update.kind) {
      case "TICKET": {
        if (!update.ticket) return;
        const change = this.board.applyLive(update.ticket);
        if (change === "added" && update.ticket.column === "NEW") this.arrived(update.ticket);
        if (change !== "ignored") this.emit();
        return;
      }
      case "RESTAURANT":
        this.later("restaurant", () => void this.refreshRestaurant());
        return;
      case "POPULARITY":
        this.later("popularity", () => void this.refreshPopularity(), 500);
        return;
      case "RESYNC":
        this.refreshAll();
        return;
    }
  }

  private arrived(ticket: Ticket): void {
    if (this.alerts.includes(ticket.orderId)) return;
    this.alerts = [...this.alerts, ticket.orderId];
    this.lastReminder = Date.now();
    if (this.sound) this.chime.play("new-order");
  }

  /** While new orders wait unacknowledged, chime again every minute. */
  private remind(now: number): void {
    if (!this.sound || this.alerts.length === 0) return;
    if (now - this.lastReminder < REMINDER_MS - 1000) return;
    this.lastReminder = now;
    this.chime.play("new-order");
  }

  acknowledge(): void {
    this.alerts = [];
    this.emit();
  }

  /** "New order #ABC123 from Lena Fischer" for the alert banner. */
  alertTickets(): Ticket[] {
    return this.alerts.map((id) => this.board.get(id)).filter((t): t is Ticket => t !== undefined);
  }

  /** Connected and up to date: what the "Live" indicator means. */
  get liveState(): ConnectionState {
    return this.connection === "live" && !this.initialized ? "connecting" : this.connection;
  }

  get newCount(): number {
    return this.board.count("NEW");
  }

  // ---- preferences and navigation ----

  /** Sound on, and (from a click) let the browser play it. */
  enableSound(): void {
    if (!this.sound) {
      this.sound = true;
      this.soundPreference.set(true);
    }
    void this.chime.unlock().then(() => this.chime.play("test"));
    this.emit();
  }

  toggleSound(): void {
    this.sound = !this.sound;
    this.soundPreference.set(this.sound);
    if (this.sound) {
      // a click: the browser lets the page start audio now
      void this.chime.unlock().then(() => this.chime.play("test"));
    }
    this.emit();
  }

  setTab(tab: Tab): void {
    if (this.tab === tab) return;
    this.tab = tab;
    if (tab === "insights") {
      void this.refreshPopularity();
      void this.refreshMenuViews();
    }
    this.emit();
  }

  // ---- kitchen decisions ----

  async accept(orderId: string, prepMinutes: number): Promise<Problem | null> {
    return this.decide(orderId, "accept", () => api.acceptOrder(orderId, prepMinutes));
  }

  async reject(orderId: string, reason: string): Promise<Problem | null> {
    return this.decide(orderId, "reject", () => api.rejectOrder(orderId, reason));
  }

  async markReady(orderId: string): Promise<Problem | null> {
    const problem = await this.decide(orderId, "ready", () => api.markOrderReady(orderId));
    if (problem) this.ticketProblems.set(orderId, problem);
    this.emit();
    return problem;
  }

  private async decide(
    orderId: string,
    action: TicketAction,
    send: () => Promise<api.DecisionResult>,
  ): Promise<Problem | null> {
    if (this.pending.has(orderId)) return null;
    this.pending.set(orderId, action);
    this.ticketProblems.delete(orderId);
    this.emit();
    try {
      const result = await send();
      const problem = problemOf(result);
      if (problem) return problem;
      this.applyDecision(result as api.KitchenDecision);
      return null;
    } catch (error) {
      return problemFromError(error);
    } finally {
      this.pending.delete(orderId);
      this.emit();
    }
  }

  /** The decision's outcome, shown now; the subscription confirms it a moment later. */
  private applyDecision(decision: api.KitchenDecision): void {
    const current = this.board.get(decision.orderId) ?? decision.ticket;
    if (!current) return;
    const at = decision.decidedAt;
    let next: Ticket;
    switch (decision.status) {
      case "ACCEPTED":
        next = {
          ...current,
          status: "ACCEPTED",
          column: "PREPARING",
          acceptedAt: at,
          prepMinutes: decision.prepMinutes ?? current.prepMinutes,
          estimatedReadyAt: decision.estimatedReadyAt ?? at + (decision.prepMinutes ?? 0) * 60_000,
        };
        break;
      case "REJECTED":
        next = { ...current, status: "REJECTED", column: "DONE", rejectedAt: at, rejectReason: decision.reason };
        break;
      case "READY":
        next = { ...current, status: "READY", column: "READY", readyAt: decision.readyAt ?? at };
        break;
    }
    // the server's own view, if it already moved further, wins
    if (decision.ticket && decision.ticket.updatedAt > current.updatedAt && decision.ticket.column === next.column) {
      next = decision.ticket;
    }
    this.board.applyOptimistic(next);
    this.alerts = this.alerts.filter((id) => id !== decision.orderId);
  }

  // ---- restaurant ----

  async setOpen(open: boolean): Promise<void> {
    if (this.openBusy) return;
    this.openBusy = true;
    this.openProblem = null;
    this.emit();
    try {
      const result = await api.setOpen(open);
      const problem = problemOf(result);
      if (problem) this.openProblem = problem;
      else this.restaurant = result as Restaurant;
    } catch (error) {
      this.openProblem = problemFromError(error);
    } finally {
      this.openBusy = false;
      this.emit();
    }
  }

  async updateProfile(changes: ProfileChanges): Promise<Problem | null> {
    return this.mutate(
      () => api.updateProfile(changes),
      (restaurant) => {
        this.restaurant = restaurant as Restaurant;
      },
    );
  }

  // ---- menu ----

  async addMenuItem(item: NewMenuItem): Promise<Problem | null> {
    return this.mutate(
      () => api.addMenuItem(item),
      (added) => this.withMenu((items) => [...items.filter((i) => i.id !== (added as MenuItem).id), added as MenuItem]),
    );
  }

  async editMenuItem(itemId: string, changes: MenuItemChanges): Promise<Problem | null> {
    return this.mutate(
      () => api.editMenuItem(itemId, changes),
      (edited) => this.withMenu((items) => items.map((i) => (i.id === itemId ? (edited as MenuItem) : i))),
    );
  }

  async setAvailability(itemId: string, available: boolean): Promise<Problem | null> {
    // flip at once (a switch should feel instant); put it back if the server says no
    const before = this.restaurant?.menu.items.find((i) => i.id === itemId);
    this.withMenu((items) => items.map((i) => (i.id === itemId ? { ...i, available } : i)));
    this.emit();
    const problem = await this.mutate(
      () => api.setMenuItemAvailability(itemId, available),
      (item) => this.withMenu((items) => items.map((i) => (i.id === itemId ? (item as MenuItem) : i))),
    );
    if (problem && before) {
      this.withMenu((items) => items.map((i) => (i.id === itemId ? { ...i, available: before.available } : i)));
      this.emit();
    }
    return problem;
  }

  async removeMenuItem(itemId: string): Promise<Problem | null> {
    return this.mutate(
      () => api.removeMenuItem(itemId),
      (menu) => this.withMenu(() => (menu as { items: MenuItem[] }).items),
    );
  }

  private withMenu(change: (items: MenuItem[]) => MenuItem[]): void {
    if (!this.restaurant) return;
    this.restaurant = { ...this.restaurant, menu: { items: change(this.restaurant.menu.items) } };
  }

  private async mutate<R extends { __typename: string }>(
    send: () => Promise<R>,
    apply: (result: R) => void,
  ): Promise<Problem | null> {
    try {
      const result = await send();
      const problem = problemOf(result);
      if (problem) return problem;
      apply(result);
      this.emit();
      return null;
    } catch (error) {
      return problemFromError(error);
    }
  }
}

/** "New order #ABC123 from Lena Fischer" */
export function arrivalText(ticket: Ticket): string {
  return `New order #${shortNumber(ticket.orderId)} from ${ticket.customerName}`;
}

export function itemsSummary(ticket: Ticket): string {
  const n = ticket.itemCount;
  return `${n} ${n === 1 ? "item" : "items"} · ${formatMoney(ticket.total)}`;
}

/** The one store of the app. */
export const kitchen = new KitchenStore();
