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
