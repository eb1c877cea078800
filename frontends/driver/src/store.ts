// The driver app's state and everything that changes it. Components read it and call its
// actions; it tells them to re-render through `subscribe` (SubscribeController).
//
// Flow:
// - Start: `me` (status, vehicle, the delivery they are on), then the offers (when
//   available) and today's deliveries. The location choice is read from localStorage.
// - Shift: going online sends the chosen location (GPS, a demo spot, typed coordinates)
//   and vehicle. While online the position is reported every 15 s and whenever the GPS
//   moved more than 50 m; "simulate driving" moves a demo position toward the next stop.
// - Live: `offers` pushes offers opening or changing (OPEN: insert or update, sorted by
//   distance) and closing (CLOSED: remove); `shift` pushes the driver as they are now with
//   the delivery that changed (accepted, the kitchen's ready, picked up, delivered).
//   RESYNC, a reconnected websocket and a page shown again refetch.
// - Answers may cross: a push read before a mutation may arrive after its answer. A
//   delivery never goes back (`progress`), a delivery known to be delivered never comes
//   back, and an HTTP answer to a request sent before the last mutation is dropped.
import {
  Chime,
  formatMoney,
  hashPath,
  liveConnection,
  moveToward,
  navigate,
  onHashChange,
  problemFromError,
  problemOf,
  problemText,
  ticker,
  Toaster,
  tokenSubject,
  UnauthorizedError,
  distanceKm,
  type ConnectionState,
  type GeoPoint,
  type StoredValue,
} from "@fd/ui-kit";
import * as api from "./api";
import type { Delivery, DeliveryVerb, Me, Offer, Today, Vehicle } from "./api";
import { progress, withOffer } from "./deliveries";
import {
  DEMO_SPOTS,
  Gps,
  metresBetween,
  spotOf,
  storedLocationSettings,
  type LocationChoice,
  type LocationSettings,
} from "./position";

export type Tab = "work" | "today";
export type Load = "idle" | "loading" | "ready" | "error";

const TICK_MS = 15_000;
const REPORT_MS = 15_000;
const REPORT_AFTER_M = 50;
const SIM_TICK_MS = 2_000;
/** simulated driving moves this far a tick (a sped-up city pace) */
const SIM_STEP_KM = 0.04;
/** offers are fetched again when the driver moved this far since */
const OFFERS_AFTER_KM = 0.3;
const SAFETY_REFRESH_MS = 60_000;
const FRESH_MS = 8_000;

export function tabOf(parts: string[]): Tab {
  return parts[0] === "today" ? "today" : "work";
}

export class DriverStore {
  tab: Tab = tabOf(hashPath());
  me: Me | null = null;
  meState: Load = "idle";
  meProblem: string | null = null;
  connection: ConnectionState = "idle";
  now = Date.now();

  // ---- shift ----
  /** going online or offline */
  shiftBusy = false;
  shiftProblem: string | null = null;
  /** the vehicle picked in the app (null: the one the server knows) */
  vehicleChoice: Vehicle | null = null;
  settings: LocationSettings = { choice: { kind: "demo", slug: DEMO_SPOTS[0]!.slug }, simulate: false };
  /** a simulated (or server-known) position that replaced the chosen spot */
  private simPosition: GeoPoint | null = null;
  readonly gps = new Gps(() => this.onGps());
  private lastReported: GeoPoint | null = null;
  private offersFrom: GeoPoint | null = null;

  // ---- offers ----
  offers: Offer[] = [];
  offersState: Load = "idle";
  offersProblem: string | null = null;
  /** offers that arrived live a moment ago (highlighted) */
  readonly fresh = new Set<string>();
  accepting: string | null = null;
  readonly acceptProblems = new Map<string, string>();

  // ---- delivery ----
  moving: DeliveryVerb | null = null;
  deliveryProblem: string | null = null;

  // ---- today ----
  today: Today | null = null;
  todayState: Load = "idle";
  todayProblem: string | null = null;

  readonly toasts = new Toaster();
  readonly chime = new Chime(0.3);

  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private saved: StoredValue<LocationSettings> | null = null;
  private started = false;
  /** counts mutations: an HTTP answer to a request sent before the last one is stale */
  private epoch = 0;
  private readonly delivered = new Set<string>();
  private offersRequest = 0;
  /** live offer changes seen while a fetch of the list was on its way (applied on top) */
  private liveDuringFetch: Map<string, Offer | null> | null = null;
  private reportTimer: ReturnType<typeof setInterval> | null = null;
  private simTimer: ReturnType<typeof setInterval> | null = null;
  private reporting = false;

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
    const driverId = tokenSubject();
    if (driverId) {
      this.saved = storedLocationSettings(driverId);
      this.settings = this.saved.get();
    }
    this.stops.push(this.toasts.subscribe(() => this.emit()));
    this.stops.push(this.chime.unlockOnFirstGesture());
    this.stops.push(
      liveConnection.onChange(({ state, reconnected }) => {
        this.connection = state;
        if (state === "live" && reconnected) this.refresh();
        this.emit();
      }),
    );
    this.listenOffers();
    this.listenShift();
    this.stops.push(onHashChange((parts) => this.go(tabOf(parts))));
    this.stops.push(
      ticker(TICK_MS, (now) => {
        this.now = now;
        this.emit();
      }),
    );
    const safety = setInterval(() => document.visibilityState === "visible" && this.refresh(), SAFETY_REFRESH_MS);
    this.stops.push(() => clearInterval(safety));
    const visible = () => document.visibilityState === "visible" && this.refresh();
    document.addEventListener("visibilitychange", visible);
    this.stops.push(() => document.removeEventListener("visibilitychange", visible));
    this.stops.push(() => this.stopMoving());
    void this.loadMe();
    void this.loadToday();
  }

  stop(): void {
    this.stops.splice(0).forEach((stop) => stop());
    this.started = false;
  }

  private listenOffers(): void {
    this.stops.push(
      api.subscribeOffers(
        (update) => this.onOfferUpdate(update),
        () => setTimeout(() => this.started && this.listenOffers(), 5_000),
      ),
    );
  }

  private listenShift(): void {
    this.stops.push(
      api.subscribeShift(
        (update) => {
          if (update.kind === "RESYNC") {
            void this.loadMe();
            return;
          }
          if (update.me) this.applyMe(update.me);
          if (update.delivery?.status === "DELIVERED") void this.loadToday();
        },
        () => setTimeout(() => this.started && this.listenShift(), 5_000),
      ),
    );
  }

  /** Connected, and the first data is in: what the "Live" indicator means. */
  get liveState(): ConnectionState {
    return this.connection === "live" && this.meState !== "ready" ? "connecting" : this.connection;
  }

  go(tab: Tab): void {
    this.tab = tab;
    if (tab === "today") void this.loadToday();
    this.emit();
  }

  /** Refetch everything shown (a reconnect, a RESYNC, the page shown again). */
  refresh(): void {
    void this.loadMe();
    if (this.me?.status === "AVAILABLE") void this.loadOffers();
    if (this.tab === "today" || this.todayState === "ready") void this.loadToday();
  }

  // ---- me ----

  async loadMe(): Promise<void> {
    const epoch = this.epoch;
    if (this.meState !== "ready") {
      this.meState = "loading";
      this.emit();
    }
    try {
      const me = await api.fetchMe();
      if (this.meState !== "ready") this.adoptServerPosition(me);
      this.meState = "ready";
      this.meProblem = null;
      this.applyMe(me, epoch);
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      if (this.meState !== "ready") {
        this.meState = "error";
        this.meProblem = problemText(problemFromError(error));
      }
      this.emit();
    }
  }

  /** After a reload while online: carry on from where the server last saw a demo position. */
  private adoptServerPosition(me: Me): void {
    if (me.status !== "OFFLINE" && me.location && this.settings.choice.kind !== "gps") this.simPosition = me.location;
  }

  /** The driver as an answer or a push has them; `epoch`: the HTTP request's (see above). */
  private applyMe(incoming: Me, epoch?: number): void {
    if (epoch !== undefined && epoch !== this.epoch) return;
    let next = incoming;
    const active = incoming.activeDelivery;
    if (epoch === undefined && active && this.delivered.has(active.id)) {
      void this.loadMe(); // a push read before the delivery ended: ask again
      return;
    }
    const current = this.me?.activeDelivery;
    if (active && current && active.id === current.id && progress(current) > progress(active)) {
      next = { ...incoming, activeDelivery: current };
    }
    const was = this.me?.status;
    if (current?.id !== next.activeDelivery?.id) this.deliveryProblem = null;
    this.me = next;
    if (next.status === "AVAILABLE" && was !== "AVAILABLE") void this.loadOffers();
    if (next.status !== "AVAILABLE") {
      this.offers = [];
      this.offersState = "idle";
    }
    this.syncMoving();
    this.emit();
  }

  // ---- location ----

  /** Where the driver is as far as the app knows (null: GPS chosen but no fix yet). */
  get position(): GeoPoint | null {
    const choice = this.settings.choice;
    if (choice.kind === "gps") return this.gps.last;
    if (this.simPosition) return this.simPosition;
    return choice.kind === "demo" ? spotOf(choice.slug).point : choice.point;
  }

  /** The next stop of the delivery (pickup, then drop-off), if on one. */
  get target(): GeoPoint | null {
    const d = this.me?.activeDelivery;
    if (!d) return null;
    return d.status === "ACCEPTED" ? d.pickupAddress.location : d.status === "PICKED_UP" ? d.dropOff.location : null;
  }

  get online(): boolean {
    return !!this.me && this.me.status !== "OFFLINE";
  }

  /** Use another location source; while online it is reported at once. */
  async choose(choice: LocationChoice): Promise<void> {
    this.shiftProblem = null;
    if (choice.kind === "gps") {
      try {
        await this.gps.start();
      } catch {
        this.emit(); // gps.problem says why; the previous choice stays
        return;
      }
    } else {
      this.gps.stop();
      this.gps.problem = null;
    }
    this.settings = { ...this.settings, choice };
    this.saved?.set(this.settings);
    this.simPosition = null;
    this.syncMoving();
    this.emit();
    if (this.online) await this.report(true);
  }

  setSimulate(on: boolean): void {
    this.settings = { ...this.settings, simulate: on };
    this.saved?.set(this.settings);
    this.syncMoving();
    this.emit();
  }

  chooseVehicle(vehicle: Vehicle): void {
    this.vehicleChoice = vehicle;
    this.shiftProblem = null;
    this.emit();
  }

  private onGps(): void {
    const here = this.gps.last;
    if (this.online && this.settings.choice.kind === "gps" && here) {
      if (!this.lastReported || metresBetween(this.lastReported, here) > REPORT_AFTER_M) void this.report(false);
    }
    this.emit();
  }

  /** Timers while online: the periodic report, the GPS watch, the simulated drive. */
  private syncMoving(): void {
    const online = this.online;
    if (online && this.reportTimer === null) {
      this.reportTimer = setInterval(() => void this.report(true), REPORT_MS);
    } else if (!online && this.reportTimer !== null) {
      clearInterval(this.reportTimer);
      this.reportTimer = null;
    }
    if (online && this.settings.choice.kind === "gps" && this.gps.state === "off" && !this.gps.problem) {
      void this.gps.start().catch(() => this.emit());
    } else if (!online && this.gps.state !== "off") {
      this.gps.stop();
    }
    const simulate = online && this.settings.simulate && this.settings.choice.kind !== "gps";
    if (simulate && this.simTimer === null) {
      this.simTimer = setInterval(() => this.simulateStep(), SIM_TICK_MS);
    } else if (!simulate && this.simTimer !== null) {
      clearInterval(this.simTimer);
      this.simTimer = null;
    }
  }

  private stopMoving(): void {
    if (this.reportTimer !== null) clearInterval(this.reportTimer);
    if (this.simTimer !== null) clearInterval(this.simTimer);
    this.reportTimer = this.simTimer = null;
    this.gps.stop();
  }

  private simulateStep(): void {
    const from = this.position;
    const to = this.target;
    if (!from || !to || distanceKm(from, to) < 0.005) return;
    this.simPosition = moveToward(from, to, SIM_STEP_KM);
    if (!this.lastReported || metresBetween(this.lastReported, this.simPosition) >= REPORT_AFTER_M) void this.report(false);
    this.emit();
  }

  /** Tell the server where the driver is (`always`: also when it did not move). */
  private async report(always: boolean): Promise<void> {
    const here = this.position;
    if (!here || !this.online || this.reporting) return;
    if (!always && this.lastReported && metresBetween(this.lastReported, here) < REPORT_AFTER_M) return;
    this.reporting = true;
    const epoch = this.epoch;
    try {
      const result = await api.reportLocation(here);
      const problem = problemOf(result);
      if (problem) {
        void this.loadMe(); // offline elsewhere (another device): show it
        return;
      }
      this.lastReported = here;
      this.applyMe(result as Me, epoch);
      if (this.me?.status === "AVAILABLE" && (!this.offersFrom || distanceKm(this.offersFrom, here) > OFFERS_AFTER_KM)) {
        void this.loadOffers();
      }
    } catch {
      // no connection: the next tick tries again
    } finally {
      this.reporting = false;
    }
  }

  // ---- shift ----

  /** The vehicle going online uses: the one picked now, else the one the server knows. */
  get vehicle(): Vehicle | null {
    return this.vehicleChoice ?? this.me?.vehicle ?? null;
  }

  async setOnline(on: boolean): Promise<void> {
    if (this.shiftBusy || !this.me) return;
    if (on === this.online) return;
    this.shiftProblem = null;
    if (on && !this.vehicle) {
      this.shiftProblem = "Choose what you deliver with first.";
      this.emit();
      return;
    }
    this.shiftBusy = true;
    this.emit();
    try {
      let here = this.position;
      if (on && !here && this.settings.choice.kind === "gps") {
        try {
          here = await this.gps.start();
        } catch {
          this.shiftProblem = `${this.gps.problem ?? "Your position is not available."} Pick a demo location or type coordinates to go online.`;
          return;
        }
      }
      if (on && !here) {
        this.shiftProblem = "Choose where you are to go online.";
        return;
      }
      const vehicleChanged = this.vehicleChoice !== null && this.vehicleChoice !== this.me.vehicle;
      const result = on ? await api.goOnline(here!, vehicleChanged ? this.vehicleChoice : this.vehicle) : await api.goOffline();
      const problem = problemOf(result);
      if (problem) {
        this.shiftProblem = problemText(problem);
        void this.loadMe();
        return;
      }
      this.epoch++;
      if (on) {
        this.lastReported = here;
        this.vehicleChoice = null;
      }
      this.applyMe(result as Me);
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      this.shiftProblem = problemText(problemFromError(error));
    } finally {
      this.shiftBusy = false;
      this.emit();
    }
  }

  // ---- offers ----

  async loadOffers(): Promise<void> {
    if (this.me?.status !== "AVAILABLE") return;
    const request = ++this.offersRequest;
    const from = this.me.location;
    if (this.offersState !== "ready") this.offersState = "loading";
    this.offersProblem = null;
    this.liveDuringFetch = new Map();
    this.emit();
    try {
      let offers = await api.fetchOffers();
      if (request !== this.offersRequest) return; // a newer fetch is on its way
      for (const [id, offer] of this.liveDuringFetch ?? []) {
        offers = offer ? withOffer(offers, offer) : offers.filter((o) => o.id !== id);
      }
      this.liveDuringFetch = null;
      if (this.me?.status !== "AVAILABLE") return;
      this.offers = offers;
      this.offersFrom = from;
      this.offersState = "ready";
      for (const id of this.acceptProblems.keys()) if (!offers.some((o) => o.id === id)) this.acceptProblems.delete(id);
    } catch (error) {
      if (request !== this.offersRequest || error instanceof UnauthorizedError) return;
      this.liveDuringFetch = null;
      this.offersProblem = problemText(problemFromError(error));
      if (this.offersState !== "ready") this.offersState = "error";
    } finally {
      if (request === this.offersRequest) this.emit();
    }
  }

  private onOfferUpdate(update: api.OfferUpdate): void {
    if (update.kind === "RESYNC") {
      void this.loadOffers();
      return;
    }
    if (this.me?.status !== "AVAILABLE") return;
    const id = update.offer?.id ?? update.orderId;
    if (!id) return;
    const offer = update.kind === "OPEN" ? update.offer : null;
    this.liveDuringFetch?.set(id, offer);
    const isNew = !!offer && !this.offers.some((o) => o.id === id);
    this.offers = offer ? withOffer(this.offers, offer) : this.offers.filter((o) => o.id !== id);
    if (!offer) this.acceptProblems.delete(id);
    if (isNew) {
      this.fresh.add(id);
      setTimeout(() => {
        this.fresh.delete(id);
        this.emit();
      }, FRESH_MS);
      this.announce();
    }
    this.emit();
  }

  /** A gentle chime and buzz for a new offer (only once the driver touched the page). */
  private announce(): void {
    if (this.chime.ready) this.chime.play("new-order");
    const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
    if (activation?.hasBeenActive && typeof navigator.vibrate === "function") navigator.vibrate([80, 60, 80]);
  }

  async accept(offer: Offer): Promise<void> {
    if (this.accepting) return;
    this.accepting = offer.id;
    this.acceptProblems.delete(offer.id);
    this.emit();
    try {
      const result = await api.moveDelivery("acceptDelivery", offer.id);
      const problem = problemOf(result);
      if (problem) {
        if (problem.code === "TAKEN") {
          this.offers = this.offers.filter((o) => o.id !== offer.id);
          this.toasts.show("Another driver took this order", "info");
        } else {
          this.acceptProblems.set(offer.id, problemText(problem));
          void this.loadOffers();
          void this.loadMe();
        }
        return;
      }
      this.epoch++;
      this.takeDelivery(result as Delivery);
      void this.report(true); // the customer's map shows the driver from now on
      if (this.tab !== "work") navigate([]);
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      this.acceptProblems.set(offer.id, `${problemText(problemFromError(error))} Checking whether it is yours…`);
      void this.loadMe();
    } finally {
      this.accepting = null;
      this.emit();
    }
  }

  private takeDelivery(delivery: Delivery): void {
    if (!this.me) return;
    this.applyMe({ ...this.me, status: "BUSY", activeDelivery: delivery });
  }

  // ---- the delivery ----

  async advance(verb: "markPickedUp" | "markDelivered"): Promise<void> {
    const delivery = this.me?.activeDelivery;
    if (!delivery || this.moving) return;
    this.moving = verb;
    this.deliveryProblem = null;
    this.emit();
    try {
      const result = await api.moveDelivery(verb, delivery.id);
      const problem = problemOf(result);
      if (problem) {
        this.deliveryProblem = problemText(problem);
        void this.loadMe();
        return;
      }
      this.epoch++;
      const moved = result as Delivery;
      if (moved.status === "DELIVERED") {
        this.delivered.add(moved.id);
        if (this.me) this.applyMe({ ...this.me, status: "AVAILABLE", activeDelivery: null });
        this.toasts.show(`Delivered · ${formatMoney(moved.earnings)} earned`, "success");
        void this.loadToday();
      } else {
        this.takeDelivery(moved);
        void this.report(true); // where the food is now
      }
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      this.deliveryProblem = problemText(problemFromError(error));
      void this.loadMe();
    } finally {
      this.moving = null;
      this.emit();
    }
  }

  // ---- today ----

  async loadToday(): Promise<void> {
    if (this.todayState !== "ready") this.todayState = "loading";
    this.todayProblem = null;
    this.emit();
    try {
      this.today = await api.fetchToday();
      this.todayState = "ready";
    } catch (error) {
      if (error instanceof UnauthorizedError) return;
      this.todayProblem = problemText(problemFromError(error));
      if (this.todayState !== "ready") this.todayState = "error";
    }
    this.emit();
  }
}

/** The one store of the app. */
export const driver = new DriverStore();
