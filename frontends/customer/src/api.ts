// The customer BFF's GraphQL API (bff/customer/schema.graphql): documents, result types and
// one function per operation. Mutations answer a result union: the Order (or
// MenuViewRecorded) or a Problem (NotFound, NotAllowed, Conflict, InvalidInput + field).
import { PROBLEM_FIELDS, request, subscribe, type GeoPoint, type Money, type Problem } from "@fd/ui-kit";

export type OrderStatus = "PLACED" | "ACCEPTED" | "REJECTED" | "CANCELLED" | "READY" | "PICKED_UP" | "DELIVERED";
export type StepName =
  | "PLACED"
  | "ACCEPTED"
  | "REJECTED"
  | "CANCELLED"
  | "READY"
  | "DRIVER_ASSIGNED"
  | "PICKED_UP"
  | "DELIVERED";
export type UpdateKind = "ORDER" | "POSITION" | "RESTAURANT" | "RESYNC";

export interface Address {
  line1: string;
  city: string;
  postcode: string;
  location: GeoPoint;
}

export interface AddressInput {
  line1: string;
  city: string;
  postcode: string;
  lat: number;
  lng: number;
}

export interface Me {
  id: string;
  name: string;
  lastAddress: Address | null;
}

export interface MenuItem {
  id: string;
  name: string;
  description: string;
  price: Money;
  category: string;
  available: boolean;
}

export interface MenuSection {
  category: string;
  items: MenuItem[];
}

export interface DeliveryEstimate {
  distanceKm: number;
  fee: Money;
  inRange: boolean;
}

export interface Restaurant {
  id: string;
  name: string;
  cuisine: string;
  description: string | null;
  address: Address;
  isOpen: boolean;
  prepMinutes: number;
  menu: MenuSection[];
  updatedAt: number;
}

/** A restaurant as a query with a delivery point answers it. */
export interface RestaurantWithEstimate extends Restaurant {
  deliveryTo?: DeliveryEstimate;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OrderLine {
  menuItemId: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

export interface Driver {
  id: string;
  name: string;
  vehicle: string;
}

export interface DriverPosition {
  location: GeoPoint;
  at: number;
  distanceKm: number;
}

export interface OrderStep {
  step: StepName;
  at: number;
}

export interface Order {
  id: string;
  restaurantId: string;
  restaurantName: string;
  status: OrderStatus;
  items: OrderLine[];
  subtotal: Money;
  deliveryFee: Money;
  total: Money;
  deliveryAddress: Address;
  note: string | null;
  placedAt: number;
  prepMinutes: number | null;
  estimatedReadyAt: number | null;
  pickupAddress: Address | null;
  rejectReason: string | null;
  cancelReason: string | null;
  driver: Driver | null;
  timeline: OrderStep[];
  canCancel: boolean;
  updatedAt: number;
  driverPosition: DriverPosition | null;
}

export interface OrderUpdate {
  kind: UpdateKind;
  eventType: string | null;
  order: Order | null;
}

export interface CatalogUpdate {
  kind: UpdateKind;
  eventType: string | null;
  restaurant: Restaurant | null;
}

export interface PlaceOrderInput {
  restaurantId: string;
  items: { menuItemId: string; quantity: number }[];
  deliveryAddress: AddressInput;
  note: string | null;
  requestKey: string;
}

export type OrderResult = (Order & { __typename: "Order" }) | Problem;
export type MenuViewResult = { __typename: "MenuViewRecorded"; restaurantId: string } | Problem;

// ---- documents ----

const MONEY = "amount currency";
const ADDRESS = "line1 city postcode location { lat lng }";
const MENU_ITEM = `id name description price { ${MONEY} } category available`;
const RESTAURANT_FIELDS = `id name cuisine description address { ${ADDRESS} } isOpen prepMinutes updatedAt
  menu { category items { ${MENU_ITEM} } }`;
const ESTIMATE = `deliveryTo(lat: $lat, lng: $lng) @include(if: $here) { distanceKm fee { ${MONEY} } inRange }`;
export const ORDER_FIELDS = `
  id restaurantId restaurantName status
  items { menuItemId name quantity unitPrice { ${MONEY} } lineTotal { ${MONEY} } }
  subtotal { ${MONEY} } deliveryFee { ${MONEY} } total { ${MONEY} }
  deliveryAddress { ${ADDRESS} } note placedAt prepMinutes estimatedReadyAt
  pickupAddress { ${ADDRESS} } rejectReason cancelReason driver { id name vehicle }
  timeline { step at } canCancel updatedAt
  driverPosition { location { lat lng } at distanceKm }`;
const ORDER_RESULT = `${PROBLEM_FIELDS} ... on Order { ${ORDER_FIELDS} }`;

/** Variables for the delivery estimate (left out without a point). */
function here(point: GeoPoint | null): Record<string, unknown> {
  return point ? { here: true, lat: point.lat, lng: point.lng } : { here: false, lat: 0, lng: 0 };
}

// ---- queries ----

export async function fetchMe(): Promise<Me> {
  return (await request<{ me: Me }>(`query Me { me { id name lastAddress { ${ADDRESS} } } }`)).me;
}

export const RESTAURANT_PAGE = 20;

export async function fetchRestaurants(
  point: GeoPoint | null,
  after: string | null,
  openOnly: boolean,
  first = RESTAURANT_PAGE,
): Promise<Page<RestaurantWithEstimate>> {
  const query = `query Restaurants($first: Int!, $after: String, $openOnly: Boolean!, $here: Boolean!, $lat: Float!, $lng: Float!) {
    restaurants(first: $first, after: $after, openOnly: $openOnly) {
      nextCursor items { ${RESTAURANT_FIELDS} ${ESTIMATE} } } }`;
  return (
    await request<{ restaurants: Page<RestaurantWithEstimate> }>(query, { first, after, openOnly, ...here(point) })
  ).restaurants;
}

export async function fetchRestaurant(id: string, point: GeoPoint | null): Promise<RestaurantWithEstimate | null> {
  const query = `query Restaurant($id: ID!, $here: Boolean!, $lat: Float!, $lng: Float!) {
    restaurant(id: $id) { ${RESTAURANT_FIELDS} ${ESTIMATE} } }`;
  return (await request<{ restaurant: RestaurantWithEstimate | null }>(query, { id, ...here(point) })).restaurant;
}

export const ORDER_PAGE = 20;

export async function fetchOrders(after: string | null, first = ORDER_PAGE): Promise<Page<Order>> {
  const query = `query MyOrders($first: Int!, $after: String) {
    myOrders(first: $first, after: $after) { nextCursor items { ${ORDER_FIELDS} } } }`;
  return (await request<{ myOrders: Page<Order> }>(query, { first, after })).myOrders;
}

export async function fetchOrder(id: string): Promise<Order | null> {
  return (await request<{ order: Order | null }>(`query Order($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id }))
    .order;
}

// ---- mutations ----

export async function placeOrder(order: PlaceOrderInput): Promise<OrderResult> {
  const query = `mutation Place($order: PlaceOrderInput!) { placeOrder(order: $order) { ${ORDER_RESULT} } }`;
  return (await request<{ placeOrder: OrderResult }>(query, { order })).placeOrder;
}

export async function cancelOrder(id: string, reason: string | null): Promise<OrderResult> {
  const query = reason
    ? `mutation Cancel($id: ID!, $reason: String!) { cancelOrder(id: $id, reason: $reason) { ${ORDER_RESULT} } }`
    : `mutation Cancel($id: ID!) { cancelOrder(id: $id) { ${ORDER_RESULT} } }`;
  return (await request<{ cancelOrder: OrderResult }>(query, reason ? { id, reason } : { id })).cancelOrder;
}

export async function recordMenuView(restaurantId: string): Promise<MenuViewResult> {
  const query = `mutation View($id: ID!) { recordMenuView(restaurantId: $id) {
    ${PROBLEM_FIELDS} ... on MenuViewRecorded { restaurantId } } }`;
  return (await request<{ recordMenuView: MenuViewResult }>(query, { id: restaurantId })).recordMenuView;
}

// ---- live ----

export function subscribeMyOrders(onUpdate: (update: OrderUpdate) => void, onError: (error: unknown) => void): () => void {
  return subscribe<{ myOrders: OrderUpdate }>(
    `subscription MyOrders { myOrders { kind eventType order { ${ORDER_FIELDS} } } }`,
    {},
    (data) => onUpdate(data.myOrders),
    { onError },
  );
}

export function subscribeCatalog(onUpdate: (update: CatalogUpdate) => void, onError: (error: unknown) => void): () => void {
  return subscribe<{ catalog: CatalogUpdate }>(
    `subscription Catalog { catalog { kind eventType restaurant { ${RESTAURANT_FIELDS} } } }`,
    {},
    (data) => onUpdate(data.catalog),
    { onError },
  );
}
