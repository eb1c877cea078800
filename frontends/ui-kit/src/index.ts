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
export { token, requireSignIn, signOut } from "./session";
export {
  ConnectionStatus,
  CONNECTION_LABELS,
  cappedBackoff,
  type ConnectionState,
  type ConnectionChange,
} from "./connection";
export { PROBLEM_FIELDS, problemOf, problemText, problemFromError, type Problem, type Result } from "./problems";
export { formatMoney, moneyInput, parseMoney, minorDigits, MONEY_LOCALE, type Money } from "./money";
export { formatClock, formatAge, formatMinutes, minutesBetween, ticker } from "./time";
export { Chime, type ChimeKind } from "./chime";
export { storedFlag, type StoredFlag } from "./preferences";
export { controls } from "./styles";
