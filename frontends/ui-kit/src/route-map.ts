// A simple delivery map drawn as SVG (no tiles, no network): the pickup (restaurant) pin,
// the drop-off pin, the straight line between them, the driver's dot with the line still to
// go, the distance left (in a chip) and a scale bar. Points are projected flat around their middle
// (fine for a city) and fitted into the picture. Render `routeMap(options)` and add
// `routeMapStyles`.
//
//   routeMap({ pickup: { ...restaurant.location, label: "Trattoria" },
//              dropOff: { ...address.location, label: "You" },
//              driver: position?.location, distanceText: "1.2 km", testid: "map",
//              width: this.mapBox.width })
//
// With `width` from a BoxWidthController on the map's box, one SVG unit is one CSS pixel:
// labels and pins keep their size on a phone and on a tablet.
import { css, html, nothing, svg, type ReactiveController, type ReactiveControllerHost } from "lit";
import { formatDistance, type GeoPoint } from "./geo";

export interface MapPlace extends GeoPoint {
  label: string;
}

export interface RouteMapOptions {
  pickup: MapPlace;
  dropOff: MapPlace;
  /** the driver's last position, if known */
  driver?: (GeoPoint & { label?: string }) | null;
  /** where the driver is going next (default "drop-off"): the live line and the distance
   * run from the driver to it; on the way to the pickup the whole trip stays ahead */
  heading?: "pickup" | "drop-off";
  /** shown in a chip in the corner: how far the driver (or the pickup) is from the drop-off (the pickup when heading there); default: km apart */
  distanceText?: string | null;
  /** what a screen reader hears (default: the places and the distance) */
  label?: string;
  testid?: string;
  /** size of the picture in SVG units (it scales to the width of its box) */
  width?: number;
  height?: number;
}

interface Point {
  x: number;
  y: number;
}

const SCALES_KM = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50];
const PAD = { left: 30, right: 30, top: 58, bottom: 40 };
const MIN_SPAN_KM = 0.6;

/** Points in km on a flat plane around their middle latitude (x east, y south). */
function projector(points: GeoPoint[]): (p: GeoPoint) => Point {
  const lat0 = points.reduce((sum, p) => sum + p.lat, 0) / points.length;
  const kx = 111.32 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110.57;
  return (p) => ({ x: p.lng * kx, y: -p.lat * ky });
}

export function routeMap(options: RouteMapOptions) {
  const width = options.width ?? 360;
  const height = options.height ?? 220;
  const driver = options.driver ?? null;
  const geo: GeoPoint[] = [options.pickup, options.dropOff, ...(driver ? [driver] : [])];
  const toKm = projector(geo);
  const km = geo.map(toKm);
  const xs = km.map((p) => p.x);
  const ys = km.map((p) => p.y);
  const spanX = Math.max(MIN_SPAN_KM, Math.max(...xs) - Math.min(...xs));
  const spanY = Math.max(MIN_SPAN_KM, Math.max(...ys) - Math.min(...ys));
  const areaW = width - PAD.left - PAD.right;
  const areaH = height - PAD.top - PAD.bottom;
  const scale = Math.min(areaW / spanX, areaH / spanY); // units per km
  const midX = (Math.max(...xs) + Math.min(...xs)) / 2;
  const midY = (Math.max(...ys) + Math.min(...ys)) / 2;
  const place = (p: GeoPoint): Point => {
    const q = toKm(p);
    return { x: PAD.left + areaW / 2 + (q.x - midX) * scale, y: PAD.top + areaH / 2 + (q.y - midY) * scale };
  };
  const from = place(options.pickup);
  const to = place(options.dropOff);
  const at = driver ? place(driver) : null;
  const toPickup = options.heading === "pickup";
  const goal = toPickup ? from : to;

  const remainingKm = distanceBetween(driver ?? options.pickup, toPickup ? options.pickup : options.dropOff, toKm);
  const distanceText = options.distanceText ?? formatDistance(remainingKm);
  const chipWidth = Math.round(distanceText.length * 8.2 + 22);

  const bar = scaleBar(scale);
  const label =
    options.label ??
    `Map: ${options.pickup.label} and ${options.dropOff.label}${driver ? `, the driver ${distanceText} away` : `, ${distanceText} apart`}.`;

  return html`<figure class="fd-map" data-testid=${options.testid ?? nothing}>
    <svg viewBox="0 0 ${width} ${height}" role="img" aria-label=${label} preserveAspectRatio="xMidYMid meet">
      <defs>
        <pattern id="fd-map-streets" width="36" height="36" patternUnits="userSpaceOnUse">
          <path d="M0 0H36M0 0V36" class="fd-map-street" />
        </pattern>
        <pattern id="fd-map-avenues" width="144" height="108" patternUnits="userSpaceOnUse" patternTransform="rotate(-8)">
          <path d="M0 0H144M0 0V108" class="fd-map-avenue" />
        </pattern>
      </defs>
      <rect class="fd-map-ground" width=${width} height=${height} />
      <rect width=${width} height=${height} fill="url(#fd-map-streets)" />
      <rect x="-40" y="-40" width=${width + 80} height=${height + 80} fill="url(#fd-map-avenues)" />
      <line class="fd-map-route ${at && !toPickup ? "behind" : ""}" x1=${from.x} y1=${from.y} x2=${to.x} y2=${to.y} />
      ${at
        ? svg`<line class="fd-map-route-casing" x1=${at.x} y1=${at.y} x2=${goal.x} y2=${goal.y} />
            <line class="fd-map-route-live" x1=${at.x} y1=${at.y} x2=${goal.x} y2=${goal.y} />`
        : nothing}
      ${pin(from, "pickup", options.pickup.label, width, "above")}
      ${pin(to, "drop-off", options.dropOff.label, width, Math.hypot(from.x - to.x, from.y - to.y) < 60 ? "below" : "above")}
      ${at
        ? svg`<g class="fd-map-driver" style="transform: translate(${at.x}px, ${at.y}px)">
            <circle class="fd-map-driver-halo" r="15" />
            <circle class="fd-map-driver-dot" r="8" />
            ${driver?.label ? svg`<text class="fd-map-label" y="26" text-anchor="middle">${driver.label}</text>` : nothing}
          </g>`
        : nothing}
      <g class="fd-map-chip" transform="translate(${width - chipWidth - 10} ${height - 36})">
        <rect width=${chipWidth} height="26" rx="13" />
        <text x=${chipWidth / 2} y="17.5" text-anchor="middle">${distanceText}</text>
      </g>
      <g class="fd-map-scale" transform="translate(12 ${height - 14})">
        <path d="M0 -5V0H${bar.units}V-5" />
        <text x=${bar.units + 6} y="0">${bar.text}</text>
      </g>
    </svg>
  </figure>`;
}

function distanceBetween(a: GeoPoint, b: GeoPoint, toKm: (p: GeoPoint) => Point): number {
  const p = toKm(a);
  const q = toKm(b);
  return Math.hypot(p.x - q.x, p.y - q.y);
}

/** A pin; its label above it, or below when another pin's label would be in the way. */
function pin(at: Point, kind: "pickup" | "drop-off", label: string, width: number, side: "above" | "below") {
  // keep the label inside the picture (12 px bold: about 7 units a character)
  const half = (label.length * 7) / 2 + 4;
  const dx = Math.min(Math.max(at.x, half), width - half) - at.x;
  return svg`<g class="fd-map-pin ${kind}" transform="translate(${at.x} ${at.y})">
    <ellipse class="fd-map-pin-shadow" rx="6" ry="2.5" />
    <path class="fd-map-pin-body" d="M0 0C-2-6-11-10-11-19a11 11 0 1 1 22 0C11-10 2-6 0 0z" />
    <circle class="fd-map-pin-eye" cy="-19" r="4.5" />
    <text class="fd-map-label" x=${dx} y=${side === "above" ? -35 : 18} text-anchor="middle">${label}</text>
  </g>`;
}

function scaleBar(unitsPerKm: number): { units: number; text: string } {
  let best = SCALES_KM[0]!;
  for (const km of SCALES_KM) if (km * unitsPerKm <= 84) best = km;
  return { units: best * unitsPerKm, text: formatDistance(best) };
}

export const routeMapStyles = css`
  .fd-map {
    margin: 0;
    border-radius: var(--fd-radius);
    overflow: hidden;
    background: #e7ecef;
    border: 1px solid var(--fd-border);
  }
  .fd-map svg {
    display: block;
    width: 100%;
    height: auto;
  }
  .fd-map-ground {
    fill: #e7ecef;
  }
  .fd-map-street {
    fill: none;
    stroke: #f8fafb;
    stroke-width: 2;
  }
  .fd-map-avenue {
    fill: none;
    stroke: #fdfdfd;
    stroke-width: 6;
    opacity: 0.9;
  }
  .fd-map-route {
    stroke: var(--fd-primary);
    stroke-width: 4;
    stroke-linecap: round;
    stroke-dasharray: 2 9;
  }
  .fd-map-route.behind {
    stroke: #8d97a5;
    stroke-width: 3;
  }
  .fd-map-route-casing {
    stroke: #fff;
    stroke-width: 9;
    stroke-linecap: round;
  }
  .fd-map-route-live {
    stroke: var(--fd-primary);
    stroke-width: 5;
    stroke-linecap: round;
  }
  .fd-map-pin-shadow {
    fill: rgb(0 0 0 / 0.25);
  }
  .fd-map-pin-body {
    stroke: #fff;
    stroke-width: 2;
  }
  .fd-map-pin.pickup .fd-map-pin-body {
    fill: #c25e00;
  }
  .fd-map-pin.drop-off .fd-map-pin-body {
    fill: var(--fd-success);
  }
  .fd-map-pin-eye {
    fill: #fff;
  }
  .fd-map-label,
  .fd-map-scale text {
    font-family: var(--fd-font);
    paint-order: stroke;
    stroke: #fff;
    stroke-width: 4px;
    stroke-linejoin: round;
  }
  .fd-map-label {
    font-size: 12px;
    font-weight: 700;
    fill: var(--fd-text);
  }
  .fd-map-chip rect {
    fill: var(--fd-primary);
    filter: drop-shadow(0 1px 2px rgb(16 24 40 / 0.3));
  }
  .fd-map-chip text {
    font-family: var(--fd-font);
    font-size: 14px;
    font-weight: 800;
    fill: #fff;
    font-variant-numeric: tabular-nums;
  }
  .fd-map-scale path {
    fill: none;
    stroke: var(--fd-text-muted);
    stroke-width: 1.5;
  }
  .fd-map-scale text {
    font-size: 11px;
    fill: var(--fd-text-muted);
    stroke-width: 3px;
  }
  .fd-map-driver {
    transition: transform 0.9s ease-in-out;
  }
  .fd-map-driver-dot {
    fill: var(--fd-accent);
    stroke: #fff;
    stroke-width: 3;
  }
  .fd-map-driver-halo {
    fill: rgb(109 63 192 / 0.22);
    transform-box: fill-box;
    transform-origin: center;
    animation: fd-map-pulse 1.8s ease-out infinite;
  }
  @keyframes fd-map-pulse {
    from {
      transform: scale(0.5);
      opacity: 1;
    }
    to {
      transform: scale(1.3);
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .fd-map-driver {
      transition: none;
    }
    .fd-map-driver-halo {
      animation: none;
    }
  }
`;

/** Follows the width of an element of the host's shadow root (found by `selector` after each
 * render) and re-renders the host when it changes; `width` is `fallback` until measured. */
export class BoxWidthController implements ReactiveController {
  width: number;
  private observer: ResizeObserver | null = null;
  private observed: Element | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: ParentNode },
    private readonly selector: string,
    fallback = 360,
  ) {
    this.width = fallback;
    host.addController(this);
  }

  hostUpdated(): void {
    const element = this.host.renderRoot.querySelector(this.selector);
    if (element === this.observed) return;
    this.observer?.disconnect();
    this.observed = element;
    if (!element || typeof ResizeObserver === "undefined") return;
    this.observer = new ResizeObserver((entries) => {
      const width = Math.round(entries[entries.length - 1]!.contentRect.width);
      if (width > 0 && width !== this.width) {
        this.width = width;
        this.host.requestUpdate();
      }
    });
    this.observer.observe(element);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.observed = null;
  }
}
