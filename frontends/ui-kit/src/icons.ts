// Inline SVG icons for the apps (stroke icons on a 24 px grid; no icon font, no download).
// `icon(paths)` wraps paths drawn on that grid; `uiIcons` holds the shared set.
//
//   html`<button class="btn">${uiIcons.plus}<span>Add</span></button>`
import { svg, type SVGTemplateResult } from "lit";

/** An icon from paths on a 24 px grid; it takes the text colour and is hidden from screen readers. */
export function icon(paths: SVGTemplateResult): SVGTemplateResult {
  return svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${paths}</svg>`;
}

export const uiIcons = {
  home: icon(svg`<path d="M3 10.5 12 3l9 7.5"/><path d="M5 9.5V20a1 1 0 0 0 1 1h4v-6h4v6h4a1 1 0 0 0 1-1V9.5"/>`),
  store: icon(
    svg`<path d="M3 9l1.5-5h15L21 9"/><path d="M3 9a3 3 0 0 0 6 0 3 3 0 0 0 6 0 3 3 0 0 0 6 0"/><path d="M5 12v8h14v-8"/><path d="M10 20v-4h4v4"/>`,
  ),
  bag: icon(svg`<path d="M5 8h14l-1 12a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1z"/><path d="M9 8V6a3 3 0 0 1 6 0v2"/>`),
  receipt: icon(svg`<path d="M5 3v18l2.5-1.5L10 21l2-1.5 2 1.5 2.5-1.5L19 21V3l-2.5 1.5L14 3l-2 1.5L10 3 7.5 4.5z"/><path d="M9 9h6M9 13h6"/>`),
  clock: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>`),
  pin: icon(svg`<path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z"/><circle cx="12" cy="9.5" r="2.5"/>`),
  bike: icon(
    svg`<circle cx="5.5" cy="17" r="3.5"/><circle cx="18.5" cy="17" r="3.5"/><path d="M15 6h2l1.5 11"/><path d="M5.5 17 9 10h7l-4.5 7z"/><path d="M9 10 7.5 7H6"/>`,
  ),
  car: icon(
    svg`<path d="M5 16V11l2-5h10l2 5v5"/><path d="M3 16h18v3H3z"/><circle cx="7.5" cy="19" r="1.5"/><circle cx="16.5" cy="19" r="1.5"/><path d="M5 11h14"/>`,
  ),
  scooter: icon(
    svg`<circle cx="5.5" cy="17.5" r="2.5"/><circle cx="18.5" cy="17.5" r="2.5"/><path d="M8 17.5h7l2-8h-3"/><path d="M17 9.5 15.5 4H13"/><path d="M5.5 15V12h5"/>`,
  ),
  check: icon(svg`<path d="M20 6 9 17l-5-5"/>`),
  x: icon(svg`<path d="M18 6 6 18M6 6l12 12"/>`),
  plus: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  minus: icon(svg`<path d="M5 12h14"/>`),
  trash: icon(svg`<path d="M3 6h18"/><path d="M19 6v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V6"/><path d="M8 6V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2"/>`),
  back: icon(svg`<path d="M15 18l-6-6 6-6"/>`),
  next: icon(svg`<path d="M9 18l6-6-6-6"/>`),
  note: icon(svg`<path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z"/><path d="M14 3v6h6"/><path d="M8 13h8M8 17h5"/>`),
  alert: icon(svg`<path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"/><path d="M12 9v4M12 17h.01"/>`),
  refresh: icon(svg`<path d="M21 12a9 9 0 1 1-3-6.7L21 8"/><path d="M21 3v5h-5"/>`),
  signOut: icon(svg`<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4"/><path d="m16 17 5-5-5-5"/><path d="M21 12H9"/>`),
  user: icon(svg`<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>`),
  chef: icon(
    svg`<path d="M7 14a4 4 0 1 1 1.5-7.7 4 4 0 0 1 7 0A4 4 0 1 1 17 14"/><path d="M7 14v6h10v-6"/><path d="M7 17h10"/>`,
  ),
} as const;

/** The icon for a vehicle as drivers describe it ("bicycle", "e-scooter", "car"…). */
export function vehicleIcon(vehicle: string): SVGTemplateResult {
  const v = vehicle.toLowerCase();
  if (/scooter|moped|motor/.test(v)) return uiIcons.scooter;
  if (/car|van/.test(v)) return uiIcons.car;
  return uiIcons.bike;
}
