// GraphQL over HTTP for queries and mutations, and graphql-transport-ws for
// subscriptions, against the BFF that served the page (same origin, /graphql).
//
// - An HTTP 401 (token expired, forged, missing) calls the unauthorized handler (default:
//   sign out and go to the sign-in) and throws UnauthorizedError; a websocket refused with
//   4401/4403 does the same.
// - `liveConnection` tells whether the websocket is up ("live") or reconnecting, and when
//   it came back after a drop (refetch what may have been missed).
import { createClient, type Client } from "graphql-ws";
import { token, signOut } from "./session";
import { ConnectionStatus, cappedBackoff } from "./connection";

export class GraphQLError extends Error {}
/** The token was refused (HTTP 401): the app is being signed out. */
export class UnauthorizedError extends GraphQLError {}
/** The server could not be reached or did not answer GraphQL. */
export class NetworkError extends GraphQLError {}

let unauthorized: () => void = signOut;
let signingOut = false;

/** Replaces what happens on a refused token (default: signOut, which opens the sign-in). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

function refused(): void {
  if (signingOut) return;
  signingOut = true;
  unauthorized();
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export async function request<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token() ?? ""}` },
      body: JSON.stringify({ query, variables }),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new NetworkError("The server cannot be reached. Check the connection and try again.");
  }
  if (response.status === 401) {
    refused();
    throw new UnauthorizedError("Your session has expired. Please sign in again.");
  }
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new NetworkError(`The server answered HTTP ${response.status}. Try again in a moment.`);
  }
  if (body.errors?.length) throw new GraphQLError(body.errors.map((e) => e.message).join("; "));
  if (!body.data) throw new GraphQLError(`no data (HTTP ${response.status})`);
  return body.data;
}

/** The state of the shared websocket (see ConnectionStatus). */
export const liveConnection = new ConnectionStatus();
liveConnection.onAuthRefused(() => refused());

let client: Client | null = null;

function wsClient(): Client {
  if (!client) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    client = createClient({
      url: `${scheme}://${location.host}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${token() ?? ""}` }),
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: cappedBackoff(10_000),
      keepAlive: 15_000,
      on: liveConnection.listeners(),
    });
  }
  return client;
}

export interface SubscribeHandlers {
  /** a GraphQL error ended the subscription (default: logged to the console) */
  onError?: (error: unknown) => void;
  onComplete?: () => void;
}

/** Calls onData for every result of the subscription; returns a function that stops it.
 * The subscription survives dropped connections (it is sent again after reconnecting). */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  handlers: SubscribeHandlers = {},
): () => void {
  return wsClient().subscribe<T>(
    { query, variables },
    {
      next: (result) => result.data && onData(result.data as T),
      error: (error) =>
        handlers.onError ? handlers.onError(error) : console.error("subscription error", error),
      complete: () => handlers.onComplete?.(),
    },
  );
}
