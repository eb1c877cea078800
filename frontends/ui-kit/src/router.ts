// Hash routing: "#/orders/o-123" <-> ["orders", "o-123"]. The hash survives reloads and
// needs nothing from the server (every page is served as index.html at "/").
//
//   onHashChange((parts) => show(parts));   hashHref("restaurant", id)   navigate(["cart"])

/** The path in the hash as decoded parts: "#/restaurant/r%201" -> ["restaurant", "r 1"]; "" -> []. */
export function hashPath(hash: string = location.hash): string[] {
  return hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((part) => part !== "")
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
}

/** A link to parts: hashHref("orders", "o-1") -> "#/orders/o-1"; hashHref() -> "#/". */
export function hashHref(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join("/")}`;
}

/** Goes to parts (a new history entry, or in place of the current one with `replace`). */
export function navigate(parts: string[], options: { replace?: boolean } = {}): void {
  const href = hashHref(...parts);
  if (location.hash === href) return;
  if (options.replace) {
    history.replaceState(history.state, "", href);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    location.hash = href;
  }
}

/** Calls listener with the new parts whenever the hash changes; returns an unsubscribe. */
export function onHashChange(listener: (parts: string[]) => void): () => void {
  const changed = () => listener(hashPath());
  window.addEventListener("hashchange", changed);
  return () => window.removeEventListener("hashchange", changed);
}
