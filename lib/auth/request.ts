// What a sign-in request says about where it comes from. Backout runs behind the operator's own
// proxy and trusts it for Host (config.ts `trustHost`) and for the client address.

/** This request's origin as the browser sees it. */
export function requestOrigin(headers: Headers): string {
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "localhost";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${proto}://${host}`;
}

/**
 * The client's address: the last entry of X-Forwarded-For, the one the nearest proxy added (Next
 * itself fills the header with the socket's address when nothing sent one). Entries further left
 * are the client's to write, so they are never used. Without a proxy in front, a client that
 * sends the header itself chooses this value: the per-address limit then binds only honest
 * clients, the per-account limit still binds everyone (README, Security). Null when there is none.
 */
export function clientAddress(headers: Headers): string | null {
  const last = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return last ? last.slice(0, 64) : null;
}
