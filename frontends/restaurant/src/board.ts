// The board's tickets and the rules for merging what arrives from three sources:
//   - live updates (the subscription), one ticket at a time;
//   - snapshots (the board query), after loading, reconnecting or a RESYNC;
//   - optimistic moves, right after a decision the server accepted.
// Updates may arrive late or out of order (a snapshot requested before a live update can
// answer after it), so a ticket only ever moves forward in `updatedAt`, a ticket that left
// the board does not come back from an older answer, and an optimistic move is kept until
// the server's view catches up (or a few seconds pass).
import type { Board as BoardData, Column, Ticket } from "./api";

export interface ColumnInfo {
  key: Exclude<Column, "DONE">;
  /** test id suffix and CSS class: new, preparing, ready, out-for-delivery */
  slug: string;
  title: string;
  empty: string;
}

export const COLUMNS: readonly ColumnInfo[] = [
  { key: "NEW", slug: "new", title: "New", empty: "No new orders" },
  { key: "PREPARING", slug: "preparing", title: "Preparing", empty: "Nothing on the stove" },
  { key: "READY", slug: "ready", title: "Ready", empty: "Nothing waiting for pickup" },
  { key: "OUT_FOR_DELIVERY", slug: "out-for-delivery", title: "Out for delivery", empty: "No deliveries on the road" },
];

const RANK: Record<Column, number> = { NEW: 0, PREPARING: 1, READY: 2, OUT_FOR_DELIVERY: 3, DONE: 4 };
/** how long an optimistic move wins over older server answers */
export const OPTIMISTIC_MS = 20_000;

export type Change = "added" | "moved" | "updated" | "removed" | "ignored";

/** The order number a kitchen calls out: the last 6 characters of the id, uppercased. */
export function shortNumber(orderId: string): string {
  return orderId.slice(-6).toUpperCase();
}

function sortKey(ticket: Ticket): number {
  switch (ticket.column) {
    case "PREPARING":
      return ticket.estimatedReadyAt ?? ticket.placedAt;
    case "READY":
      return ticket.readyAt ?? ticket.placedAt;
    case "OUT_FOR_DELIVERY":
      return ticket.pickedUpAt ?? ticket.placedAt;
    default:
      return ticket.placedAt;
  }
}

export class TicketBoard {
  private readonly tickets = new Map<string, Ticket>();
  /** orderId -> updatedAt of the ticket when it left the board */
  private readonly gone = new Map<string, number>();
  private readonly optimistic = new Map<string, { column: Column; at: number }>();
  /** orderId -> local time a live update for it was applied */
  private readonly received = new Map<string, number>();

  get(orderId: string): Ticket | undefined {
    return this.tickets.get(orderId);
  }

  /** The tickets of a column in kitchen order (oldest / most urgent first). */
  column(column: Column): Ticket[] {
    return [...this.tickets.values()]
      .filter((t) => t.column === column)
      .sort((a, b) => sortKey(a) - sortKey(b) || a.placedAt - b.placedAt);
  }

  count(column: Column): number {
    let n = 0;
    for (const t of this.tickets.values()) if (t.column === column) n++;
    return n;
  }

  /** One ticket from the subscription. */
  applyLive(ticket: Ticket, now = Date.now()): Change {
    const change = this.put(ticket, now);
    if (change !== "ignored") this.received.set(ticket.orderId, now);
    return change;
  }

  /** The server accepted a decision: show its outcome before the subscription confirms it. */
  applyOptimistic(ticket: Ticket, now = Date.now()): Change {
    const previous = this.tickets.get(ticket.orderId);
    this.optimistic.set(ticket.orderId, { column: ticket.column, at: now });
    if (ticket.column === "DONE") {
      this.gone.set(ticket.orderId, ticket.updatedAt);
      return this.tickets.delete(ticket.orderId) ? "removed" : "ignored";
    }
    this.tickets.set(ticket.orderId, ticket);
    if (!previous) return "added";
    return previous.column === ticket.column ? "updated" : "moved";
  }

  /** A whole board, requested at `requestedAt`; returns the tickets it added. */
  applySnapshot(board: BoardData, requestedAt: number, now = Date.now()): Ticket[] {
    const added: Ticket[] = [];
    const seen = new Set<string>();
    for (const ticket of [...board.new, ...board.preparing, ...board.ready, ...board.outForDelivery]) {
      seen.add(ticket.orderId);
      if (this.put(ticket, now) === "added") added.push(ticket);
    }
    for (const [orderId, ticket] of [...this.tickets]) {
      if (seen.has(orderId)) continue;
      // arrived live while the snapshot was on its way: newer than the snapshot
      if ((this.received.get(orderId) ?? 0) >= requestedAt) continue;
      const pending = this.optimistic.get(orderId);
      if (pending && now - pending.at < OPTIMISTIC_MS && pending.at >= requestedAt) continue;
      this.tickets.delete(orderId);
      this.gone.set(orderId, ticket.updatedAt);
    }
    this.prune(now);
    return added;
  }

  private put(ticket: Ticket, now: number): Change {
    const id = ticket.orderId;
    const previous = this.tickets.get(id);
    if (previous && previous.updatedAt > ticket.updatedAt) return "ignored";
    const goneAt = this.gone.get(id);
    if (goneAt !== undefined && goneAt >= ticket.updatedAt) return "ignored";
    const pending = this.optimistic.get(id);
    if (pending) {
      if (now - pending.at >= OPTIMISTIC_MS || RANK[ticket.column] >= RANK[pending.column]) {
        this.optimistic.delete(id);
      } else {
        // the server has not caught up with the decision yet: keep the optimistic column,
        // but take what else is new (a driver assigned meanwhile)
        if (previous && ticket.driver && !previous.driver) {
          this.tickets.set(id, { ...previous, driver: ticket.driver });
          return "updated";
        }
        return "ignored";
      }
    }
    if (ticket.column === "DONE") {
      this.gone.set(id, ticket.updatedAt);
      return this.tickets.delete(id) ? "removed" : "ignored";
    }
    this.tickets.set(id, ticket);
    if (!previous) return "added";
    return previous.column === ticket.column ? "updated" : "moved";
  }

  private prune(now: number): void {
    for (const [id, pending] of this.optimistic) if (now - pending.at >= OPTIMISTIC_MS) this.optimistic.delete(id);
    if (this.gone.size > 1000) {
      const keep = [...this.gone].slice(-500);
      this.gone.clear();
      for (const [id, at] of keep) this.gone.set(id, at);
    }
    for (const id of [...this.received.keys()]) if (!this.tickets.has(id)) this.received.delete(id);
  }
}
