// GraphQL over HTTP for queries and mutations, and graphql-transport-ws for
// subscriptions, against the BFF that served the page (same origin, /graphql).
import { createClient, type Client } from "graphql-ws";
import { token } from "./session";

export class GraphQLError extends Error {}

export async function request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token() ?? ""}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new GraphQLError(body.errors.map((e) => e.message).join("; "));
  if (!body.data) throw new GraphQLError(`no data (HTTP ${response.status})`);
  return body.data;
}

let client: Client | null = null;

function wsClient(): Client {
  if (!client) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    client = createClient({
      url: `${scheme}://${location.host}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${token() ?? ""}` }),
      retryAttempts: Infinity,
      shouldRetry: () => true,
    });
  }
  return client;
}

/** Calls onData for every result of the subscription; returns a function that stops it. */
export function subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void): () => void {
  return wsClient().subscribe<T>(
    { query, variables },
    {
      next: (result) => result.data && onData(result.data as T),
      error: (error) => console.error("subscription error", error),
      complete: () => undefined,
    },
  );
}
