// The signed-in actor's token, kept in localStorage by the BFF's dev sign-in page
// (local mode) or by the deployment's sign-in; every request and the websocket carry it.
const KEY = "fd.token";

export function token(): string | null {
  return localStorage.getItem(KEY);
}

export function signOut(): void {
  localStorage.removeItem(KEY);
  location.assign("/dev/signin");
}

export function requireSignIn(): string {
  const value = token();
  if (!value) {
    location.assign("/dev/signin");
    throw new Error("not signed in");
  }
  return value;
}

/** The signed-in actor's id (the token's `sub` claim), to keep per-person data apart
 * (e.g. a cart in localStorage); null without a readable token. Not a check of the token:
 * the server does that. */
export function tokenSubject(): string | null {
  const payload = token()?.split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0)));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === "string" && sub ? sub : null;
  } catch {
    return null;
  }
}
