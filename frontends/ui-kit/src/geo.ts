// Points on the map and straight-line distances (what the BFFs compute as well).

export interface GeoPoint {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "350 m", "2.8 km", "12 km" */
export function formatDistance(km: number): string {
  if (!Number.isFinite(km) || km < 0) return "–";
  if (km < 1) return `${Math.max(10, Math.round((km * 1000) / 10) * 10)} m`;
  if (km < 10) return `${km.toFixed(1)} km`;
  return `${Math.round(km)} km`;
}

/** The point `km` along the straight line from `from` to `to` (`to` itself when nearer):
 * e.g. a simulated vehicle moving toward its next stop. */
export function moveToward(from: GeoPoint, to: GeoPoint, km: number): GeoPoint {
  const total = distanceKm(from, to);
  if (total <= km || total === 0) return { lat: to.lat, lng: to.lng };
  const f = km / total;
  return { lat: from.lat + (to.lat - from.lat) * f, lng: from.lng + (to.lng - from.lng) * f };
}
