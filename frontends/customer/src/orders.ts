// What the app says about an order: its status in words, its timeline, and the rule for
// merging the answers of three sources (the placeOrder/cancelOrder result, queries, the
// live myOrders subscription), which may arrive late or out of order.
import { formatClock, type StepState, type TimelineStep } from "@fd/ui-kit";
import type { Order, OrderStatus, StepName } from "./api";

export type Tone = "info" | "warning" | "accent" | "success" | "danger";

export interface StatusInfo {
  /** the human status (the tracking page's headline) */
  title: string;
  /** a word above the headline, part of the status ("Picked up") */
  kicker?: string;
  tone: Tone;
}

export const STATUS: Record<OrderStatus, StatusInfo> = {
  PLACED: { title: "Placed", tone: "info" },
  ACCEPTED: { title: "Accepted", tone: "warning" },
  READY: { title: "Ready", tone: "warning" },
  PICKED_UP: { title: "Driver on the way", kicker: "Picked up", tone: "accent" },
  DELIVERED: { title: "Delivered", tone: "success" },
  CANCELLED: { title: "Cancelled", tone: "danger" },
  REJECTED: { title: "Rejected", tone: "danger" },
};

/** A short status for lists ("On the way" rather than the long headline). */
export const SHORT_STATUS: Record<OrderStatus, string> = {
  PLACED: "Placed",
  ACCEPTED: "Preparing",
  READY: "Ready",
  PICKED_UP: "On the way",
  DELIVERED: "Delivered",
  CANCELLED: "Cancelled",
  REJECTED: "Rejected",
};

/** The sentence under the headline. */
export function statusSentence(order: Order): string {
  const driver = order.driver?.name;
  switch (order.status) {
    case "PLACED":
      return `Waiting for ${order.restaurantName} to confirm your order.`;
    case "ACCEPTED":
      return `${order.restaurantName} is preparing your food.`;
    case "READY":
      return driver
        ? `Your food is ready. ${driver} is on the way to pick it up.`
        : "Your food is ready and waiting for a driver.";
    case "PICKED_UP":
      return `${driver ?? "Your driver"} is bringing your order.`;
    case "DELIVERED":
      return "Your order was delivered. Enjoy your meal!";
    case "CANCELLED":
      return "This order was cancelled. You have not been charged.";
    case "REJECTED":
      return `${order.restaurantName} could not take this order. You have not been charged.`;
  }
}

const STEP_LABELS: Record<StepName, string> = {
  PLACED: "Order placed",
  ACCEPTED: "Accepted by the restaurant",
  READY: "Food ready",
  DRIVER_ASSIGNED: "Driver assigned",
  PICKED_UP: "Picked up",
  DELIVERED: "Delivered",
  REJECTED: "Rejected by the restaurant",
  CANCELLED: "Cancelled",
};

/** The steps of an order that goes well, in their usual order. */
const HAPPY_PATH: StepName[] = ["PLACED", "ACCEPTED", "READY", "DRIVER_ASSIGNED", "PICKED_UP", "DELIVERED"];
const FINAL: OrderStatus[] = ["DELIVERED", "CANCELLED", "REJECTED"];
const RANK: Record<OrderStatus, number> = {
  PLACED: 0,
  ACCEPTED: 1,
  READY: 2,
  PICKED_UP: 3,
  DELIVERED: 4,
  CANCELLED: 4,
  REJECTED: 4,
};

export function isActive(order: Order): boolean {
  return !FINAL.includes(order.status);
}

/** The driver is (or will soon be) on the road: the map is worth showing. */
export function isOnItsWay(order: Order): boolean {
  return order.status === "ACCEPTED" || order.status === "READY" || order.status === "PICKED_UP";
}

/** The reached steps (test ids `step-<STEP>`), then the ones still to come (`upcoming-<STEP>`). */
export function timelineSteps(order: Order, now: number): TimelineStep[] {
  const reached = order.timeline;
  const failed = order.status === "REJECTED" || order.status === "CANCELLED";
  const last = reached.length - 1;
  const steps: TimelineStep[] = reached.map((s, i) => {
    let state: StepState = "done";
    if (i === last && failed) state = "failed";
    else if (i === last && order.status !== "DELIVERED") state = "current";
    return { id: s.step, label: STEP_LABELS[s.step], at: s.at, state, detail: stepDetail(order, s.step, now), testid: `step-${s.step}` };
  });
  if (!failed) {
    const seen = new Set(reached.map((s) => s.step));
    for (const step of HAPPY_PATH) {
      if (!seen.has(step)) steps.push({ id: step, label: STEP_LABELS[step], state: "upcoming", testid: `upcoming-${step}` });
    }
  }
  return steps;
}

function stepDetail(order: Order, step: StepName, now: number): string | null {
  switch (step) {
    case "PLACED":
      return order.restaurantName;
    case "ACCEPTED":
      return order.estimatedReadyAt ? `Expected ready around ${formatClock(order.estimatedReadyAt, now)}` : null;
    case "DRIVER_ASSIGNED":
      return order.driver ? `${order.driver.name} · ${order.driver.vehicle}` : null;
    case "PICKED_UP":
      return order.status === "PICKED_UP" ? "On the way to you" : null;
    case "REJECTED":
      return order.rejectReason;
    case "CANCELLED":
      return order.cancelReason;
    default:
      return null;
  }
}

/**
 * The order to keep when `incoming` arrives while `current` is known. The newer view (by
 * `updatedAt`) wins, and an order never moves back in its life; the driver's position,
 * which changes without the order changing, keeps the most recent one reported.
 */
export function mergeOrder(current: Order | undefined, incoming: Order): Order {
  if (!current) return incoming;
  const older = incoming.updatedAt < current.updatedAt || RANK[incoming.status] < RANK[current.status];
  const base = older ? current : incoming;
  const other = older ? incoming : current;
  if (
    isOnItsWay(base) &&
    other.driverPosition &&
    (!base.driverPosition || other.driverPosition.at > base.driverPosition.at)
  ) {
    return { ...base, driverPosition: other.driverPosition };
  }
  return base;
}

/** "#4F2A9C": the last 6 characters of the id, as the kitchen calls it out. */
export function orderNumber(orderId: string): string {
  return orderId.slice(-6).toUpperCase();
}

/** "2× Margherita, 1× Tiramisu" */
export function itemsSummary(order: Order): string {
  return order.items.map((i) => `${i.quantity}× ${i.name}`).join(", ");
}
