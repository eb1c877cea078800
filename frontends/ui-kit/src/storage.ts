// Values kept in localStorage as JSON (a cart, a draft), with fallbacks when storage is
// unavailable (private mode, quota) or holds something unreadable, and a way to follow
// changes made by the app in another tab.
//
//   const saved = storedJson(`fd.cart.${customerId}`, parseCart, emptyCart);
//   saved.set(cart);  saved.get();  saved.watch((cart) => …)  // another tab changed it

export interface StoredValue<T> {
  /** the stored value, or the fallback when nothing (readable) is stored */
  get(): T;
  set(value: T): void;
  clear(): void;
  /** Calls listener when another tab changes (or clears) the value; returns an unsubscribe. */
  watch(listener: (value: T) => void): () => void;
}

/**
 * `parse` receives the JSON as stored and returns the value, or null when it is not a valid
 * one (stored by an older version of the app, edited by hand): the fallback is used then.
 */
export function storedJson<T>(key: string, parse: (raw: unknown) => T | null, fallback: () => T): StoredValue<T> {
  const read = (text: string | null): T => {
    if (text === null) return fallback();
    try {
      return parse(JSON.parse(text)) ?? fallback();
    } catch {
      return fallback();
    }
  };
  return {
    get() {
      try {
        return read(localStorage.getItem(key));
      } catch {
        return fallback();
      }
    },
    set(value) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // not persisted; the page still has the value
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        // nothing stored
      }
    },
    watch(listener) {
      const changed = (event: StorageEvent) => {
        if (event.storageArea === localStorage && (event.key === key || event.key === null)) {
          listener(read(event.newValue));
        }
      };
      window.addEventListener("storage", changed);
      return () => window.removeEventListener("storage", changed);
    },
  };
}
