// Where to send someone after sign-in. Pure: the callback comes from the URL, so it is the
// attacker's text until proven to name a page of this site.

export const AFTER_SIGN_IN = "/incidents";

/**
 * The same-origin path (+ search + hash) `callback` names, or AFTER_SIGN_IN. The callback is
 * resolved the way a browser resolves a Location header (WHATWG URL, against `origin`), and only
 * a result on `origin` is kept: "/\evil.example/" is "//evil.example/" to a browser, and
 * "/..//evil.example" normalises to "//evil.example", a protocol-relative URL, so the resolved
 * path is checked again. An absolute URL on this origin (a link made with the site's address) is kept.
 */
export function safeRedirect(callback: string | null | undefined, origin: string): string {
  if (!callback || callback.length > 2048) return AFTER_SIGN_IN;
  // The URL parser silently drops tabs and newlines and reads a backslash as a slash: refuse
  // them before parsing rather than reason about what they became.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
  if (/[\\\u0000-\u001f\u007f]/.test(callback)) return AFTER_SIGN_IN;
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(callback, base);
  } catch {
    return AFTER_SIGN_IN;
  }
  if (url.origin !== base.origin || url.username || url.password) return AFTER_SIGN_IN;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//")) return AFTER_SIGN_IN;
  // Back to the sign-in page itself would only show the form again.
  if (url.pathname === "/sign-in") return AFTER_SIGN_IN;
  return path;
}
