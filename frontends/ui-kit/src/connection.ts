// Connection status of a graphql-ws client, for a "Live" / "Reconnecting…" indicator and
// for refetching what a dropped connection may have missed.
//
//   const status = new ConnectionStatus();
//   createClient({ ..., on: status.listeners() })   // or status.track(client)
//   status.onChange((state) => render(state));
//   status.onReconnected(() => refetch());
//
// It also runs a heartbeat: with the client's keepAlive set, a ping that gets no pong in
// time closes the socket (4408), so a half-open connection (Wi-Fi gone, laptop lid shut)
// is noticed and the client reconnects instead of staying "Live" forever.
import type { Client } from "graphql-ws";

export type ConnectionState = "idle" | "connecting" | "live" | "reconnecting";

export interface ConnectionChange {
  state: ConnectionState;
  /** true on the "live" that follows a drop: updates may have been missed, refetch */
  reconnected: boolean;
}

type ChangeListener = (change: ConnectionChange) => void;

/** Labels for an indicator; the "live" one is the only one containing "Live". */
export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  idle: "Not connected",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

interface SocketLike {
  readyState: number;
  close(code?: number, reason?: string): void;
}

export class ConnectionStatus {
  private current: ConnectionState = "idle";
  private everConnected = false;
  private readonly changeListeners = new Set<ChangeListener>();
  private socket: SocketLike | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  /** close codes after which retrying cannot help (the app should sign in again) */
  private readonly authCodes = new Set([4401, 4403]);
  private authListener: ((code: number) => void) | null = null;

  constructor(private readonly pongTimeoutMs = 6_000) {}

  get state(): ConnectionState {
    return this.current;
  }

  get isLive(): boolean {
    return this.current === "live";
  }

  /** Calls listener now with the current state and then on every change; returns an unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    listener({ state: this.current, reconnected: false });
    return () => this.changeListeners.delete(listener);
  }

  /** Calls listener each time the connection is back after a drop. */
  onReconnected(listener: () => void): () => void {
    return this.onChange((change) => {
      if (change.reconnected) listener();
    });
  }

  /** Calls listener when the server refused the connection's credentials (close 4401/4403). */
  onAuthRefused(listener: (code: number) => void): void {
    this.authListener = listener;
  }

  /** The graphql-ws `on` option that feeds this status. */
  listeners() {
    return {
      connecting: () => this.set(this.everConnected ? "reconnecting" : "connecting", false),
      connected: (socket: unknown) => {
        this.socket = socket as SocketLike;
        const again = this.everConnected;
        this.everConnected = true;
        this.set("live", again);
      },
      ping: (received: boolean) => {
        if (received || this.pongTimer !== null) return;
        // our keep-alive ping: expect the pong in time, or drop the socket
        this.pongTimer = setTimeout(() => {
          this.pongTimer = null;
          if (this.socket && this.socket.readyState === 1) this.socket.close(4408, "Pong timeout");
        }, this.pongTimeoutMs);
      },
      pong: (received: boolean) => {
        if (received) this.clearPongTimer();
      },
      closed: (event: unknown) => {
        this.clearPongTimer();
        this.socket = null;
        const code = (event as { code?: number } | null)?.code;
        if (typeof code === "number" && this.authCodes.has(code)) this.authListener?.(code);
        // 1000: closed on purpose (no subscription left); anything else: a drop, retried
        if (code === 1000) this.set("idle", false);
        else this.set(this.everConnected ? "reconnecting" : "connecting", false);
      },
    };
  }

  /** Feeds this status from an already created client. */
  track(client: Client): () => void {
    const on = this.listeners();
    const offs = [
      client.on("connecting", on.connecting),
      client.on("connected", on.connected),
      client.on("ping", on.ping),
      client.on("pong", on.pong),
      client.on("closed", on.closed),
    ];
    return () => offs.forEach((off) => off());
  }

  private clearPongTimer(): void {
    if (this.pongTimer !== null) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  private set(state: ConnectionState, reconnected: boolean): void {
    if (state === this.current && !reconnected) return;
    this.current = state;
    for (const listener of [...this.changeListeners]) listener({ state, reconnected });
  }
}

/** Retry delay for a client that should never give up: 1 s, 2 s, 4 s … capped, with jitter. */
export function cappedBackoff(maxMs = 10_000): (retries: number) => Promise<void> {
  return (retries) =>
    new Promise((resolve) =>
      setTimeout(resolve, Math.min(maxMs, 1000 * 2 ** retries) + Math.floor(Math.random() * 750)),
    );
}
