// Showing a server Problem on a form: an InvalidInput whose `field` the form knows goes
// next to that input, anything else above the buttons.
import { formatMoney, problemText, type Problem } from "@fd/ui-kit";

export interface FormProblems {
  /** form field -> message */
  fields: Record<string, string>;
  /** the problem no field shows */
  general: Problem | null;
}

export const NO_PROBLEMS: FormProblems = { fields: {}, general: null };

/** `fieldOf` maps the server's field name (e.g. "priceCents") to the form's (e.g. "price"). */
export function formProblems(problem: Problem | null, fieldOf: Record<string, string>, currency = "EUR"): FormProblems {
  if (!problem) return NO_PROBLEMS;
  const serverField = problem.field ?? "";
  const field = fieldOf[serverField] ?? fieldOf[serverField.split(".")[0] ?? ""];
  if (problem.__typename === "InvalidInput" && field) {
    return { fields: { [field]: fieldMessage(problem, currency) }, general: null };
  }
  return { fields: {}, general: problem };
}

/** A message shown under its input: without the "priceCents: " prefix, and amounts in
 * cents said as money ("from 0 to 1000000" -> "from €0.00 to €10,000.00"). */
export function fieldMessage(problem: Problem, currency = "EUR"): string {
  const field = problem.field ?? "";
  let message = problem.message;
  if (field && message.toLowerCase().startsWith(`${field.toLowerCase()}: `)) message = message.slice(field.length + 2);
  if (field === "priceCents") {
    message = message
      .replace(/a whole number from (\d+) to (\d+)/, (_, low: string, high: string) =>
        `a price from ${formatMoney({ amount: Number(low), currency })} to ${formatMoney({ amount: Number(high), currency })}`,
      );
  }
  return problemText({ code: problem.code, message });
}

/** The value of an input or textarea event's target. */
export function valueOf(event: Event): string {
  return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
}

export const MENU_ITEM_FIELDS: Record<string, string> = {
  name: "name",
  priceCents: "price",
  currency: "price",
  category: "category",
  description: "description",
};
