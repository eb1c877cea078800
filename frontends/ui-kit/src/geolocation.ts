// The device's position (navigator.geolocation) as GeoPoints, with the failures told apart
// so an app can offer a fallback (a demo location, typed coordinates) instead of a dead end.
//
//   const state = await geolocationPermission();      // "granted" | "prompt" | "denied" | "unsupported"
//   const here = await currentPosition();             // asks the user when the state is "prompt"
//   const stop = watchPosition((p) => …, (problem) => …);
import type { GeoPoint } from "./geo";

export type GeolocationPermission = "granted" | "prompt" | "denied" | "unsupported";

/** Why no position: the user said no, the device found none, it took too long, no API. */
export class GeolocationProblem extends Error {
  constructor(
    readonly reason: "denied" | "unavailable" | "timeout" | "unsupported",
    message: string,
  ) {
    super(message);
  }
}

const MESSAGES: Record<GeolocationProblem["reason"], string> = {
  denied: "Location access is blocked for this site.",
  unavailable: "Your device could not find its position.",
  timeout: "Finding your position took too long.",
  unsupported: "This browser cannot share its location.",
};

function problemOf(error: GeolocationPositionError): GeolocationProblem {
  const reason = error.code === 1 ? "denied" : error.code === 3 ? "timeout" : "unavailable";
  return new GeolocationProblem(reason, MESSAGES[reason]);
}

function supported(): boolean {
  return typeof navigator !== "undefined" && "geolocation" in navigator;
}

/** Whether the page may read the position without asking (never throws). */
export async function geolocationPermission(): Promise<GeolocationPermission> {
  if (!supported()) return "unsupported";
  try {
    const status = await navigator.permissions.query({ name: "geolocation" });
    return status.state;
  } catch {
    return "prompt"; // no Permissions API: asking is the only way to know
  }
}

/** The position now (asks the user first if needed); rejects with a GeolocationProblem. */
export function currentPosition(timeoutMs = 10_000): Promise<GeoPoint> {
  if (!supported()) return Promise.reject(new GeolocationProblem("unsupported", MESSAGES.unsupported));
  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      (error) => reject(problemOf(error)),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 10_000 },
    );
  });
}

/** Calls onPoint with every new position until the returned function is called. */
export function watchPosition(
  onPoint: (point: GeoPoint) => void,
  onProblem: (problem: GeolocationProblem) => void,
): () => void {
  if (!supported()) {
    onProblem(new GeolocationProblem("unsupported", MESSAGES.unsupported));
    return () => undefined;
  }
  const id = navigator.geolocation.watchPosition(
    (p) => onPoint({ lat: p.coords.latitude, lng: p.coords.longitude }),
    (error) => onProblem(problemOf(error)),
    { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
  );
  return () => navigator.geolocation.clearWatch(id);
}
