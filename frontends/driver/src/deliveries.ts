// Small rules about offers and deliveries the store and the screens share.
import type { Delivery, DriverStatus, Offer, Vehicle } from "./api";

/** Offers as the server sorts them: nearest pickup first, then the oldest, then id. */
export function byDistance(a: Offer, b: Offer): number {
  const da = a.distanceKm ?? Number.POSITIVE_INFINITY;
  const db = b.distanceKm ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  if (a.acceptedAt !== b.acceptedAt) return a.acceptedAt - b.acceptedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `offers` with `offer` in (replacing the same id), sorted. */
export function withOffer(offers: readonly Offer[], offer: Offer): Offer[] {
  return [...offers.filter((o) => o.id !== offer.id), offer].sort(byDistance);
}

const STEP = { ACCEPTED: 0, PICKED_UP: 1, DELIVERED: 2 } as const;

/** How far a delivery has come (a later answer never goes back): status, then the kitchen's ready. */
export function progress(d: Delivery): number {
  return STEP[d.status] * 2 + (d.ready ? 1 : 0);
}

export const STATUS_TEXT: Record<DriverStatus, string> = {
  OFFLINE: "Offline",
  AVAILABLE: "Available",
  BUSY: "On a delivery",
};

export const VEHICLE_TEXT: Record<Vehicle, string> = {
  BICYCLE: "Bicycle",
  SCOOTER: "Scooter",
  CAR: "Car",
};

/** The last characters of an order id, as people read it out ("#4F2K9Q"). */
export function orderNumber(id: string): string {
  return id.replace(/^o-/, "").slice(-6).toUpperCase();
}

/** "Oranienstr. 12, 10999 Berlin" */
export function addressText(a: { line1: string; postcode: string; city: string }): string {
  return `${a.line1}, ${a.postcode} ${a.city}`.trim();
}

/** "0.4 km", "2.8 km", "12 km": always km, as the server measures. */
export function kmText(km: number | null): string {
  if (km === null || !Number.isFinite(km)) return "–";
  return km < 10 ? `${Math.max(0, km).toFixed(1)} km` : `${Math.round(km)} km`;
}
