// The driver BFF's GraphQL API (bff/driver/schema.graphql): documents, result types and
// one function per operation. Mutations answer a result union: `Me` (the shift) or a
// `Delivery`, or a Problem (NotFound, NotAllowed, Conflict — code TAKEN when another
// driver won the order —, InvalidInput + field).
import { PROBLEM_FIELDS, request, subscribe, type GeoPoint, type Money, type Problem } from "@fd/ui-kit";

export type DriverStatus = "OFFLINE" | "AVAILABLE" | "BUSY";
export type Vehicle = "BICYCLE" | "SCOOTER" | "CAR";
export type DeliveryStatus = "ACCEPTED" | "PICKED_UP" | "DELIVERED";
export type UpdateKind = "OPEN" | "CLOSED" | "DRIVER" | "DELIVERY" | "RESYNC";

export const VEHICLES: readonly Vehicle[] = ["BICYCLE", "SCOOTER", "CAR"];

export interface Address {
  line1: string;
  city: string;
  postcode: string;
  location: GeoPoint;
}

export interface OrderLine {
  menuItemId: string;
  name: string;
  quantity: number;
  lineTotal: Money;
}

export interface Offer {
  id: string;
  restaurantId: string;
  restaurantName: string;
  pickupAddress: Address;
  dropOff: Address;
  items: OrderLine[];
  itemCount: number;
  estimatedReadyAt: number;
  acceptedAt: number;
  fee: Money;
  ready: boolean;
  readyAt: number | null;
  /** km from the driver to the pickup (null: the server knows no location) */
  distanceKm: number | null;
  tripKm: number;
}

export interface Delivery {
  id: string;
  status: DeliveryStatus;
  restaurantId: string;
  restaurantName: string;
  customerName: string;
  pickupAddress: Address;
  dropOff: Address;
  items: OrderLine[];
  itemCount: number;
  note: string | null;
  earnings: Money;
  acceptedAt: number;
  pickedUpAt: number | null;
  deliveredAt: number | null;
  tripKm: number;
  ready: boolean;
  readyAt: number | null;
  estimatedReadyAt: number | null;
  canPickUp: boolean;
  canDeliver: boolean;
}

export interface Me {
  id: string;
  name: string;
  status: DriverStatus;
  vehicle: Vehicle | null;
  location: GeoPoint | null;
  activeDelivery: Delivery | null;
}

export interface Today {
  since: number;
  deliveries: Delivery[];
  delivered: number;
  earnings: Money;
}

export interface OfferUpdate {
  kind: UpdateKind;
  eventType: string | null;
  orderId: string | null;
  offer: Offer | null;
}

export interface ShiftUpdate {
  kind: UpdateKind;
  eventType: string | null;
  me: Me | null;
  delivery: Delivery | null;
}

export type ShiftResult = (Me & { __typename: "Me" }) | Problem;
export type DeliveryResult = (Delivery & { __typename: "Delivery" }) | Problem;

// ---- documents ----

const MONEY = "amount currency";
const ADDRESS = "line1 city postcode location { lat lng }";
const LINES = `items { menuItemId name quantity lineTotal { ${MONEY} } } itemCount`;
const OFFER_FIELDS = `id restaurantId restaurantName pickupAddress { ${ADDRESS} } dropOff { ${ADDRESS} }
  ${LINES} estimatedReadyAt acceptedAt fee { ${MONEY} } ready readyAt distanceKm tripKm`;
const DELIVERY_FIELDS = `id status restaurantId restaurantName customerName
  pickupAddress { ${ADDRESS} } dropOff { ${ADDRESS} } ${LINES} note earnings { ${MONEY} }
  acceptedAt pickedUpAt deliveredAt tripKm ready readyAt estimatedReadyAt canPickUp canDeliver`;
const ME_FIELDS = `id name status vehicle location { lat lng } activeDelivery { ${DELIVERY_FIELDS} }`;
const SHIFT_RESULT = `${PROBLEM_FIELDS} ... on Me { ${ME_FIELDS} }`;
const DELIVERY_RESULT = `${PROBLEM_FIELDS} ... on Delivery { ${DELIVERY_FIELDS} }`;

export const OFFER_PAGE = 30;

// ---- queries ----

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  return (await request<{ me: Me }>(`query Me { me { ${ME_FIELDS} } }`, {}, { signal })).me;
}

export async function fetchOffers(first = OFFER_PAGE): Promise<Offer[]> {
  const query = `query Offers($first: Int!) { offers(first: $first) { ${OFFER_FIELDS} } }`;
  return (await request<{ offers: Offer[] }>(query, { first })).offers;
}

export async function fetchToday(): Promise<Today> {
  const query = `query Today { today { since delivered earnings { ${MONEY} } deliveries { ${DELIVERY_FIELDS} } } }`;
  return (await request<{ today: Today }>(query)).today;
}

// ---- mutations ----

export async function goOnline(location: GeoPoint, vehicle: Vehicle | null): Promise<ShiftResult> {
  const query = `mutation GoOnline($location: GeoPointInput!, $vehicle: Vehicle) {
    goOnline(location: $location, vehicle: $vehicle) { ${SHIFT_RESULT} } }`;
  return (await request<{ goOnline: ShiftResult }>(query, { location: point(location), vehicle })).goOnline;
}

export async function goOffline(): Promise<ShiftResult> {
  return (await request<{ goOffline: ShiftResult }>(`mutation GoOffline { goOffline { ${SHIFT_RESULT} } }`)).goOffline;
}

export async function reportLocation(location: GeoPoint): Promise<ShiftResult> {
  const query = `mutation Report($location: GeoPointInput!) { reportLocation(location: $location) { ${SHIFT_RESULT} } }`;
  return (await request<{ reportLocation: ShiftResult }>(query, { location: point(location) })).reportLocation;
}

export type DeliveryVerb = "acceptDelivery" | "markPickedUp" | "markDelivered";

export async function moveDelivery(verb: DeliveryVerb, orderId: string): Promise<DeliveryResult> {
  const query = `mutation Move($id: ID!) { ${verb}(orderId: $id) { ${DELIVERY_RESULT} } }`;
  const data = await request<Record<DeliveryVerb, DeliveryResult>>(query, { id: orderId });
  return data[verb];
}

function point(p: GeoPoint): GeoPoint {
  return { lat: p.lat, lng: p.lng };
}

// ---- live ----

export function subscribeOffers(onUpdate: (update: OfferUpdate) => void, onError: (error: unknown) => void): () => void {
  return subscribe<{ offers: OfferUpdate }>(
    `subscription Offers { offers { kind eventType orderId offer { ${OFFER_FIELDS} } } }`,
    {},
    (data) => onUpdate(data.offers),
    { onError },
  );
}

export function subscribeShift(onUpdate: (update: ShiftUpdate) => void, onError: (error: unknown) => void): () => void {
  return subscribe<{ shift: ShiftUpdate }>(
    `subscription Shift { shift { kind eventType me { ${ME_FIELDS} } delivery { ${DELIVERY_FIELDS} } } }`,
    {},
    (data) => onUpdate(data.shift),
    { onError },
  );
}
