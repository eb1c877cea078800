// Money is integer minor units (cents) + an ISO 4217 currency code.

export interface Money {
  amount: number;
  currency: string;
}

/** The locale money is shown in: "€10.50" (symbol first, decimal point). */
export const MONEY_LOCALE = "en-IE";

const formats = new Map<string, Intl.NumberFormat>();

function format(currency: string): Intl.NumberFormat {
  let f = formats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(MONEY_LOCALE, { style: "currency", currency });
    formats.set(currency, f);
  }
  return f;
}

/** Digits after the decimal point for a currency (EUR 2, JPY 0). */
export function minorDigits(currency: string): number {
  try {
    return format(currency).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "€10.50" */
export function formatMoney(money: Money): string {
  try {
    return format(money.currency).format(money.amount / 10 ** minorDigits(money.currency));
  } catch {
    return `${(money.amount / 100).toFixed(2)} ${money.currency}`;
  }
}

/** Minor units as an editable amount: 950 -> "9.50". */
export function moneyInput(amount: number, currency = "EUR"): string {
  const digits = minorDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/** Typed amount to minor units: "9.50", "9,5", "€ 9" -> 950, 950, 900; null if not an amount. */
export function parseMoney(text: string, currency = "EUR"): number | null {
  const digits = minorDigits(currency);
  const cleaned = text.replace(/[\s€$£]/g, "").replace(/^[A-Za-z]{3}/, "").replace(",", ".");
  const pattern = digits > 0 ? new RegExp(`^\\d{1,7}(\\.\\d{0,${digits}})?$`) : /^\d{1,9}$/;
  if (!pattern.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}
