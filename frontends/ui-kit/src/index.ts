export {
  request,
  subscribe,
  GraphQLError,
  UnauthorizedError,
  NetworkError,
  onUnauthorized,
  liveConnection,
  type RequestOptions,
  type SubscribeHandlers,
} from "./graphql";
export { token, requireSignIn, signOut, tokenSubject } from "./session";
export {
  ConnectionStatus,
  CONNECTION_LABELS,
  cappedBackoff,
  type ConnectionState,
  type ConnectionChange,
} from "./connection";
export {
  PROBLEM_FIELDS,
  problemOf,
  problemText,
  problemFromError,
  fieldProblemText,
  problemIndex,
  type Problem,
  type Result,
} from "./problems";
export { formatMoney, moneyInput, parseMoney, minorDigits, MONEY_LOCALE, type Money } from "./money";
export { formatClock, formatAge, formatMinutes, minutesBetween, ticker } from "./time";
export { Chime, type ChimeKind } from "./chime";
export { storedFlag, type StoredFlag } from "./preferences";
export { storedJson, type StoredValue } from "./storage";
export { controls } from "./styles";
export { phoneLayout, sheetDialog } from "./layout";
export { tabBar } from "./tab-bar";
export { icon, uiIcons, vehicleIcon } from "./icons";
export { distanceKm, formatDistance, moveToward, type GeoPoint } from "./geo";
export {
  currentPosition,
  watchPosition,
  geolocationPermission,
  GeolocationProblem,
  type GeolocationPermission,
} from "./geolocation";
export { Toaster, toastView, toastStyles, type Toast, type ToastTone } from "./toast";
export { newRequestKey } from "./ids";
export { hashPath, hashHref, navigate, onHashChange } from "./router";
export { SubscribeController, type Subscribable } from "./store-controller";
export { liveBadge, liveBadgeStyles, type LiveBadgeOptions } from "./live-badge";
export { statusTimeline, timelineStyles, type TimelineStep, type TimelineOptions, type StepState } from "./timeline";
export { routeMap, routeMapStyles, BoxWidthController, type RouteMapOptions, type MapPlace } from "./route-map";
