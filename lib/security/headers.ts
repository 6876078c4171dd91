// The security headers of every response, set by proxy.ts. Pages get a Content-Security-Policy
// whose scripts need the request's nonce (Next.js reads it from the request's CSP header and puts
// it on its own scripts), so a script injected into a page does not run; styles may be inline
// (recharts and React style attributes need it; a style cannot run code). Other responses (API,
// downloads) get a policy that allows nothing. No page may be framed (clickjacking). Pure.

export type HeaderOptions = {
  /** The request's nonce; without one, the response is not a page and gets the deny-all policy. */
  nonce?: string;
  /** Served over HTTPS (directly or behind a proxy that says so): adds HSTS and upgrades requests. */
  https: boolean;
  /** next dev: React needs eval for its debugging aids; never in production. */
  dev?: boolean;
};

/** A fresh, unguessable nonce for one request (128 random bits, base64). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, https, dev = false }: HeaderOptions): string {
  if (!nonce) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonce'd Next.js runtime loads are trusted; nothing else is, inline or not.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // No nonce here on purpose: with a nonce present, browsers ignore 'unsafe-inline'.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Every security header of a response. */
export function securityHeaders(options: HeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // For browsers without frame-ancestors.
    "X-Frame-Options": "DENY",
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}

/**
 * Whether the browser reached us over HTTPS. Behind a TLS-terminating reverse proxy the request
 * arrives over plain HTTP, and X-Forwarded-Proto (its first value, set by the nearest proxy) says
 * what the browser used.
 */
export function isHttps(url: URL, headers: Headers): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0].trim().toLowerCase();
  return forwarded ? forwarded === "https" : url.protocol === "https:";
}

/**
 * A server action posted from another origin (a CSRF attempt). Next.js refuses it too, but as a
 * 500 with a digest; this lets the proxy answer 403 in words. The same rule as Next.js': the
 * Origin's host must be the X-Forwarded-Host (a reverse proxy's) or the Host. A request without
 * Origin is not from a browser page and carries no one's cookies unwillingly.
 */
export function isCrossOriginAction(method: string, headers: Headers): boolean {
  if (method !== "POST" || !headers.has("next-action")) return false;
  const origin = headers.get("origin");
  if (!origin) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // "null" (a sandboxed frame, a file) or garbage: not this site
  }
  const forwardedHost = headers.get("x-forwarded-host")?.split(",")[0].trim();
  return originHost !== forwardedHost && originHost !== headers.get("host");
}
