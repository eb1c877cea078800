// Times are epoch milliseconds (the EpochMs scalar).

const MINUTE = 60_000;
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dayClock = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "14:05" (today) or "3 Mar, 14:05" (another day). */
export function formatClock(ms: number, now = Date.now()): string {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return (sameDay ? clock : dayClock).format(ms);
}

/** Whole minutes from `from` to `to`, rounded down (negative when `to` is earlier). */
export function minutesBetween(from: number, to: number): number {
  return Math.floor((to - from) / MINUTE);
}

/** A duration in minutes: "just now", "4 min", "1 h 05 min", "2 d 3 h". */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 1) return "just now";
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
}

/** Time since `since`: "just now", "4 min ago", "1 h 05 min ago". */
export function formatAge(since: number, now = Date.now()): string {
  const m = minutesBetween(since, now);
  return m < 1 ? "just now" : `${formatMinutes(m)} ago`;
}

/** A ticking "now" for labels like "4 min ago": calls onTick every `ms` (and when the page
 * becomes visible again, since timers sleep in background tabs); returns a stop function. */
export function ticker(ms: number, onTick: (now: number) => void): () => void {
  const tick = () => onTick(Date.now());
  const timer = setInterval(tick, ms);
  const visible = () => document.visibilityState === "visible" && tick();
  document.addEventListener("visibilitychange", visible);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", visible);
  };
}
