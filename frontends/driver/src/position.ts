// Where the driver is, from one of three sources they choose:
// - "gps": the device's position (navigator.geolocation), followed while online;
// - "demo": a named spot in Berlin near the demo restaurants (for trying the app on a
//   desk, or in a browser without location access); "simulate driving" then moves it
//   toward the next stop so the customer sees the driver coming;
// - "manual": coordinates typed in.
// The choice is kept per driver in localStorage. A GPS that cannot be had (blocked, no
// fix) falls back to the demo spot, with the reason shown.
import {
  currentPosition,
  distanceKm,
  geolocationPermission,
  GeolocationProblem,
  storedJson,
  watchPosition,
  type GeoPoint,
} from "@fd/ui-kit";

export interface DemoSpot {
  slug: string;
  name: string;
  /** what is near, to pick the right one */
  hint: string;
  point: GeoPoint;
}

/** Spots near the demo restaurants (bff/restaurant/demo.py). */
export const DEMO_SPOTS: readonly DemoSpot[] = [
  { slug: "kreuzberg", name: "Kreuzberg", hint: "Oranienstraße", point: { lat: 52.4995, lng: 13.418 } },
  { slug: "mitte", name: "Mitte", hint: "Hackescher Markt", point: { lat: 52.5225, lng: 13.4022 } },
  { slug: "prenzlauer-berg", name: "Prenzlauer Berg", hint: "Kastanienallee", point: { lat: 52.5362, lng: 13.4115 } },
  { slug: "bergmannkiez", name: "Bergmannkiez", hint: "Marheinekeplatz", point: { lat: 52.4887, lng: 13.3961 } },
];

export type LocationChoice = { kind: "gps" } | { kind: "demo"; slug: string } | { kind: "manual"; point: GeoPoint };

export interface LocationSettings {
  choice: LocationChoice;
  /** move the demo position toward the next stop */
  simulate: boolean;
}

const DEFAULT: LocationSettings = { choice: { kind: "demo", slug: DEMO_SPOTS[0]!.slug }, simulate: false };

export function spotOf(slug: string): DemoSpot {
  return DEMO_SPOTS.find((s) => s.slug === slug) ?? DEMO_SPOTS[0]!;
}

export function validPoint(p: unknown): p is GeoPoint {
  const q = p as Partial<GeoPoint> | null;
  return (
    typeof q?.lat === "number" &&
    typeof q.lng === "number" &&
    Math.abs(q.lat) <= 90 &&
    Math.abs(q.lng) <= 180 &&
    Number.isFinite(q.lat) &&
    Number.isFinite(q.lng)
  );
}

function parseSettings(raw: unknown): LocationSettings | null {
  const r = raw as Partial<LocationSettings> | null;
  const c = r?.choice as Partial<{ kind: string; slug: string; point: unknown }> | undefined;
  const simulate = r?.simulate === true;
  if (c?.kind === "gps") return { choice: { kind: "gps" }, simulate };
  if (c?.kind === "demo" && typeof c.slug === "string") return { choice: { kind: "demo", slug: spotOf(c.slug).slug }, simulate };
  if (c?.kind === "manual" && validPoint(c.point)) return { choice: { kind: "manual", point: c.point }, simulate };
  return null;
}

export function storedLocationSettings(driverId: string) {
  return storedJson<LocationSettings>(`fd.driver.location.${driverId}`, parseSettings, () => ({ ...DEFAULT }));
}

/** "52.49950, 13.41800" -> a point, or null. */
export function parsePoint(lat: string, lng: string): GeoPoint | null {
  const p = { lat: Number(lat.trim().replace(",", ".")), lng: Number(lng.trim().replace(",", ".")) };
  return lat.trim() && lng.trim() && validPoint(p) ? p : null;
}

export type GpsState = "off" | "locating" | "on";

/** Follows the device's position while asked to; tells its listener every fix. */
export class Gps {
  state: GpsState = "off";
  problem: string | null = null;
  last: GeoPoint | null = null;
  private stopWatch: (() => void) | null = null;

  constructor(private readonly changed: () => void) {}

  /** Granted already (no prompt needed)? */
  static async granted(): Promise<boolean> {
    return (await geolocationPermission()) === "granted";
  }

  /** One fix now (asks the user when needed), then follows the position. */
  async start(): Promise<GeoPoint> {
    this.problem = null;
    this.state = "locating";
    this.changed();
    try {
      const point = await currentPosition();
      this.last = point;
      this.state = "on";
      this.follow();
      return point;
    } catch (error) {
      this.state = "off";
      this.problem = error instanceof GeolocationProblem ? error.message : "Your position is not available.";
      throw error;
    } finally {
      this.changed();
    }
  }

  stop(): void {
    this.stopWatch?.();
    this.stopWatch = null;
    this.state = "off";
  }

  private follow(): void {
    this.stopWatch?.();
    this.stopWatch = watchPosition(
      (point) => {
        this.last = point;
        this.changed();
      },
      (problem) => {
        // a lost fix: keep the last one (the report timer sends it again)
        if (problem.reason === "denied") {
          this.problem = problem.message;
          this.stop();
        }
        this.changed();
      },
    );
  }
}

/** Metres between two points (for "moved more than 50 m"). */
export function metresBetween(a: GeoPoint, b: GeoPoint): number {
  return distanceKm(a, b) * 1000;
}
