// The BFFs answer expected failures as union members implementing `Problem { code message }`
// (InvalidInput also names the `field`). Select PROBLEM_FIELDS on every result union and
// turn the answer into either the success value or a Problem the app can show.

/** Selection for a result union: the type name, and the problem's details when it is one. */
export const PROBLEM_FIELDS = "__typename ... on Problem { code message } ... on InvalidInput { field }";

export interface Problem {
  __typename: string;
  code: string;
  message: string;
  /** InvalidInput: the input field (camelCase, as on the wire), e.g. "priceCents" */
  field?: string | null;
}

export type Result<T> = ({ __typename: string } & T) | Problem;

/** The problem in a result union, or null when it is the success type. */
export function problemOf(result: { __typename: string } | null | undefined): Problem | null {
  if (!result) return { __typename: "Missing", code: "MISSING", message: "No answer from the server." };
  const maybe = result as Partial<Problem>;
  return typeof maybe.code === "string" && typeof maybe.message === "string" ? (result as Problem) : null;
}

/** A problem as a sentence for the user (BUSY asks to try again). */
export function problemText(problem: Pick<Problem, "code" | "message">): string {
  const message = problem.message.trim();
  const sentence = message ? message[0]!.toUpperCase() + message.slice(1) : "Something went wrong";
  const stop = /[.!?]$/.test(sentence) ? "" : ".";
  if (problem.code === "BUSY") return `${sentence}${stop} Please try again.`;
  return `${sentence}${stop}`;
}

/** An error thrown by request() (network, GraphQL error) as a Problem. */
export function problemFromError(error: unknown): Problem {
  const message = error instanceof Error ? error.message : String(error);
  return { __typename: "Error", code: "ERROR", message };
}

/** An InvalidInput's message for showing next to its input: without the "field: " prefix
 * the server puts in front ("items.0.menuItemId: Tiramisu is sold out" -> "Tiramisu is sold out."). */
export function fieldProblemText(problem: Pick<Problem, "code" | "message" | "field">): string {
  const field = problem.field ?? "";
  let message = problem.message;
  if (field && message.toLowerCase().startsWith(`${field.toLowerCase()}: `)) message = message.slice(field.length + 2);
  return problemText({ code: problem.code, message });
}

/** The list index an InvalidInput names under `list` ("items.2.quantity", "items" -> 2), or null. */
export function problemIndex(problem: Pick<Problem, "field"> | null | undefined, list: string): number | null {
  const match = new RegExp(`^${list.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(\\d+)(\\.|$)`).exec(problem?.field ?? "");
  return match ? Number(match[1]) : null;
}
