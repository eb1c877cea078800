// Small per-device preferences kept in localStorage (e.g. "sound on"), with fallbacks
// when storage is unavailable (private mode, quota).

export interface StoredFlag {
  get(): boolean;
  set(value: boolean): void;
}

export function storedFlag(key: string, fallback: boolean): StoredFlag {
  return {
    get() {
      try {
        const value = localStorage.getItem(key);
        return value === null ? fallback : value === "true";
      } catch {
        return fallback;
      }
    },
    set(value) {
      try {
        localStorage.setItem(key, String(value));
      } catch {
        // not persisted; the current page still uses the value
      }
    },
  };
}
