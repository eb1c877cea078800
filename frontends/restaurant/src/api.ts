// The restaurant BFF's GraphQL API (bff/restaurant/schema.graphql): documents, result
// types, and one function per operation. Mutations answer a result union: a success type
// or a Problem (NotFound, NotAllowed, Conflict with BUSY = try again, InvalidInput + field).
import { PROBLEM_FIELDS, request, subscribe, type Money, type Problem } from "@fd/ui-kit";

export type Column = "NEW" | "PREPARING" | "READY" | "OUT_FOR_DELIVERY" | "DONE";
export type TicketStatus = "PLACED" | "ACCEPTED" | "REJECTED" | "CANCELLED" | "READY" | "PICKED_UP" | "DELIVERED";
export type UpdateKind = "TICKET" | "RESTAURANT" | "POPULARITY" | "RESYNC";

export interface Address {
  line1: string;
  city: string;
  postcode: string;
}

export interface Driver {
  id: string;
  name: string;
  vehicle: string;
}

export interface TicketItem {
  menuItemId: string;
  name: string;
  quantity: number;
  unitPrice: Money;
}

export interface Ticket {
  orderId: string;
  status: TicketStatus;
  column: Column;
  customerName: string;
  items: TicketItem[];
  subtotal: Money;
  total: Money;
  note: string | null;
  deliveryAddress: Address;
  placedAt: number;
  acceptedAt: number | null;
  prepMinutes: number | null;
  estimatedReadyAt: number | null;
  rejectedAt: number | null;
  rejectReason: string | null;
  cancelledAt: number | null;
  cancelReason: string | null;
  readyAt: number | null;
  driver: Driver | null;
  pickedUpAt: number | null;
  deliveredAt: number | null;
  updatedAt: number;
  itemCount: number;
}

export interface Board {
  new: Ticket[];
  preparing: Ticket[];
  ready: Ticket[];
  outForDelivery: Ticket[];
}

export interface MenuItem {
  id: string;
  name: string;
  description: string;
  price: Money;
  category: string;
  available: boolean;
}

export interface Restaurant {
  id: string;
  name: string;
  cuisine: string;
  address: Address;
  isOpen: boolean;
  defaultPrepMinutes: number;
  phone: string | null;
  description: string | null;
  menu: { items: MenuItem[] };
  updatedAt: number;
}

export interface ItemPopularity {
  menuItemId: string;
  name: string;
  quantity: number;
  orders: number;
}

export interface Popularity {
  menuViews: number;
  viewers: number;
  orders: number;
  items: ItemPopularity[];
}

/** One local day of menu views from the event lake. */
export interface MenuViewDay {
  date: string;
  views: number;
  viewers: number;
  ordersPlaced: number;
}

/** The last days' menu views and orders placed, counted in the event lake. */
export interface MenuViewHistory {
  views: number;
  viewers: number;
  ordersPlaced: number;
  since: number;
  readAt: number;
  days: MenuViewDay[];
}

export interface KitchenDecision {
  __typename: "KitchenDecision";
  orderId: string;
  status: "ACCEPTED" | "REJECTED" | "READY";
  decidedAt: number;
  prepMinutes: number | null;
  estimatedReadyAt: number | null;
  reason: string | null;
  readyAt: number | null;
  ticket: Ticket | null;
}

export interface KitchenUpdate {
  kind: UpdateKind;
  eventType: string | null;
  ticket: Ticket | null;
}

type Typed<T, N extends string> = T & { __typename: N };
export type DecisionResult = KitchenDecision | Problem;
export type RestaurantResult = Typed<Restaurant, "Restaurant"> | Problem;
export type MenuItemResult = Typed<MenuItem, "MenuItem"> | Problem;
export type MenuResult = Typed<{ items: MenuItem[] }, "Menu"> | Problem;

export interface ProfileChanges {
  name?: string;
  cuisine?: string;
  defaultPrepMinutes?: number;
  phone?: string;
  description?: string;
}

export interface MenuItemChanges {
  name?: string;
  description?: string;
  category?: string;
  priceCents?: number;
  available?: boolean;
}

export interface NewMenuItem {
  name: string;
  priceCents: number;
  category: string;
  description: string;
  available?: boolean;
}

// ---- documents ----

const MONEY = "amount currency";
const ADDRESS = "line1 city postcode";
export const TICKET_FIELDS = `
  orderId status column customerName
  items { menuItemId name quantity unitPrice { ${MONEY} } }
  subtotal { ${MONEY} } total { ${MONEY} }
  note deliveryAddress { ${ADDRESS} }
  placedAt acceptedAt prepMinutes estimatedReadyAt rejectedAt rejectReason
  cancelledAt cancelReason readyAt driver { id name vehicle } pickedUpAt deliveredAt
  updatedAt itemCount`;
const BOARD = `board {
  new { ${TICKET_FIELDS} } preparing { ${TICKET_FIELDS} }
  ready { ${TICKET_FIELDS} } outForDelivery { ${TICKET_FIELDS} } }`;
const MENU_ITEM = `id name description price { ${MONEY} } category available`;
const RESTAURANT_FIELDS = `id name cuisine address { ${ADDRESS} } isOpen defaultPrepMinutes phone
  description updatedAt menu { items { ${MENU_ITEM} } }`;
const POPULARITY = `popularity(top: $top) { menuViews viewers orders items { menuItemId name quantity orders } }`;
const DECISION = `${PROBLEM_FIELDS} ... on KitchenDecision {
  orderId status decidedAt prepMinutes estimatedReadyAt reason readyAt ticket { ${TICKET_FIELDS} } }`;

const MENU_VIEW_HISTORY = `menuViewHistory(days: $days, utcOffsetMinutes: $offset) {
  views viewers ordersPlaced since readAt days { date views viewers ordersPlaced } }`;

export const POPULAR_TOP = 10;
/** how many days of menu views the Insights tab shows */
export const HISTORY_DAYS = 14;

// ---- queries ----

export interface Everything {
  me: { id: string; name: string };
  board: Board;
  restaurant: Restaurant | null;
  popularity: Popularity;
}

export function fetchEverything(): Promise<Everything> {
  return request<Everything>(
    `query Console($top: Int!) { me { id name } ${BOARD} restaurant { ${RESTAURANT_FIELDS} } ${POPULARITY} }`,
    { top: POPULAR_TOP },
  );
}

export async function fetchBoard(): Promise<Board> {
  return (await request<{ board: Board }>(`query Board { ${BOARD} }`)).board;
}

export async function fetchRestaurant(): Promise<Restaurant | null> {
  return (await request<{ restaurant: Restaurant | null }>(`query Restaurant { restaurant { ${RESTAURANT_FIELDS} } }`))
    .restaurant;
}

export async function fetchPopularity(): Promise<Popularity> {
  return (await request<{ popularity: Popularity }>(`query Popularity($top: Int!) { ${POPULARITY} }`, { top: POPULAR_TOP }))
    .popularity;
}

/** This browser's offset from UTC in minutes, as the API takes it (whole quarter hours). */
export function utcOffsetMinutes(at = new Date()): number {
  const offset = Math.round(-at.getTimezoneOffset() / 15) * 15;
  return Math.min(840, Math.max(-720, offset));
}

export async function fetchMenuViewHistory(days = HISTORY_DAYS): Promise<MenuViewHistory> {
  const query = `query MenuViews($days: Int!, $offset: Int!) { ${MENU_VIEW_HISTORY} }`;
  return (await request<{ menuViewHistory: MenuViewHistory }>(query, { days, offset: utcOffsetMinutes() }))
    .menuViewHistory;
}

// ---- kitchen decisions ----

export async function acceptOrder(orderId: string, prepMinutes: number): Promise<DecisionResult> {
  const query = `mutation Accept($id: ID!, $prep: Int!) { acceptOrder(orderId: $id, prepMinutes: $prep) { ${DECISION} } }`;
  return (await request<{ acceptOrder: DecisionResult }>(query, { id: orderId, prep: prepMinutes })).acceptOrder;
}

export async function rejectOrder(orderId: string, reason: string): Promise<DecisionResult> {
  const query = `mutation Reject($id: ID!, $reason: String!) { rejectOrder(orderId: $id, reason: $reason) { ${DECISION} } }`;
  return (await request<{ rejectOrder: DecisionResult }>(query, { id: orderId, reason })).rejectOrder;
}

export async function markOrderReady(orderId: string): Promise<DecisionResult> {
  const query = `mutation Ready($id: ID!) { markOrderReady(orderId: $id) { ${DECISION} } }`;
  return (await request<{ markOrderReady: DecisionResult }>(query, { id: orderId })).markOrderReady;
}

// ---- profile ----

const RESTAURANT_RESULT = `${PROBLEM_FIELDS} ... on Restaurant { ${RESTAURANT_FIELDS} }`;

export async function setOpen(open: boolean): Promise<RestaurantResult> {
  const field = open ? "openRestaurant" : "closeRestaurant";
  const data = await request<Record<string, RestaurantResult>>(`mutation Open { ${field} { ${RESTAURANT_RESULT} } }`);
  return data[field]!;
}

export async function updateProfile(changes: ProfileChanges): Promise<RestaurantResult> {
  const query = `mutation Profile($changes: ProfileChanges!) { updateProfile(changes: $changes) { ${RESTAURANT_RESULT} } }`;
  return (await request<{ updateProfile: RestaurantResult }>(query, { changes })).updateProfile;
}

// ---- menu ----

const ITEM_RESULT = `${PROBLEM_FIELDS} ... on MenuItem { ${MENU_ITEM} }`;

export async function addMenuItem(item: NewMenuItem): Promise<MenuItemResult> {
  const query = `mutation Add($item: NewMenuItem!) { addMenuItem(item: $item) { ${ITEM_RESULT} } }`;
  return (await request<{ addMenuItem: MenuItemResult }>(query, { item })).addMenuItem;
}

export async function editMenuItem(itemId: string, changes: MenuItemChanges): Promise<MenuItemResult> {
  const query = `mutation Edit($id: ID!, $changes: MenuItemChanges!) {
    editMenuItem(itemId: $id, changes: $changes) { ${ITEM_RESULT} } }`;
  return (await request<{ editMenuItem: MenuItemResult }>(query, { id: itemId, changes })).editMenuItem;
}

export async function setMenuItemAvailability(itemId: string, available: boolean): Promise<MenuItemResult> {
  const query = `mutation Availability($id: ID!, $available: Boolean!) {
    setMenuItemAvailability(itemId: $id, available: $available) { ${ITEM_RESULT} } }`;
  return (await request<{ setMenuItemAvailability: MenuItemResult }>(query, { id: itemId, available }))
    .setMenuItemAvailability;
}

export async function removeMenuItem(itemId: string): Promise<MenuResult> {
  const query = `mutation Remove($id: ID!) { removeMenuItem(itemId: $id) {
    ${PROBLEM_FIELDS} ... on Menu { items { ${MENU_ITEM} } } } }`;
  return (await request<{ removeMenuItem: MenuResult }>(query, { id: itemId })).removeMenuItem;
}

// ---- live ----

export function subscribeKitchen(onUpdate: (update: KitchenUpdate) => void, onError: (error: unknown) => void): () => void {
  return subscribe<{ kitchen: KitchenUpdate }>(
    `subscription Kitchen { kitchen { kind eventType ticket { ${TICKET_FIELDS} } } }`,
    {},
    (data) => onUpdate(data.kitchen),
    { onError },
  );
}
