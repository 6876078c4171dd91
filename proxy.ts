// Next 16's proxy (formerly middleware), in front of every route but the static files:
// - every page but sign-in needs a session (Auth.js' `authorized` callback; pages and actions still
//   check the session and the role themselves, this is only the first gate);
// - every response gets the security headers (lib/security/headers.ts), pages a fresh script nonce;
// - a server action from another origin, or over the body limit, is refused here in words
//   (Next.js would refuse both, as a 500 with only a digest);
// - a page is answered 503 "Database unavailable, retrying" while the database does not answer
//   (asked before each page render, not before a router prefetch).

import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";
import { databaseAnswers, databaseUnavailablePage, needsDatabaseCheck } from "@/lib/db-ping";
import { isCrossOriginAction, isHttps, newNonce, securityHeaders } from "@/lib/security/headers";

const { auth } = NextAuth(authConfig);
const gate = auth as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

/** Routes open without a session: Auth.js' own, the health check, the token-authenticated API, sign-in, the app's icons. */
const OPEN = /^\/(api\/auth|api\/health|api\/v1|sign-in|icon\.svg|apple-icon\.png)(\/|$)/;

/** A share link's page (app/share/[token]): open without a session, checked by the page. */
const SHARE_PAGE = /^\/share\/[^/]+$/;

/**
 * What a share page is sent with: its address is a secret (no Referer to any other site), it is
 * for the people it was given to (no search engine), and nothing keeps a copy once it is revoked.
 */
const SHARE_HEADERS = { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store" };
const API_V1 = /^\/api\/v1(\/|$)/;

/** Next.js' default server-action body limit (next.config.ts leaves serverActions.bodySizeLimit at it). */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

// Next.js reads `text/plain` (exactly) error bodies of a server action and throws them as the
// action's error message in the browser; any other answer becomes "An unexpected response".
const refuseAction = (status: number, message: string) => new Response(message, { status, headers: { "content-type": "text/plain" } });

async function route(request: NextRequest, event: NextFetchEvent, requestHeaders: Headers): Promise<Response> {
  if (isCrossOriginAction(request.method, request.headers)) {
    return refuseAction(403, "Refused: this form was sent from another site. Open Backout itself and try again.");
  }
  if (request.headers.has("next-action") && Number(request.headers.get("content-length") ?? 0) > ACTION_BODY_LIMIT_BYTES) {
    return refuseAction(413, "Too much to send at once: a form may carry at most 1 MB. Shorten the text and try again.");
  }
  // The REST API (bearer tokens, no session, no server actions) has the same limit; its router
  // also counts while reading, for a body that leaves Content-Length out or lies.
  if (API_V1.test(request.nextUrl.pathname) && Number(request.headers.get("content-length") ?? 0) > ACTION_BODY_LIMIT_BYTES) {
    return new Response(
      JSON.stringify({ type: "about:blank", title: "Content Too Large", status: 413, detail: "The body is too large: at most 1 MB." }),
      {
        status: 413,
        headers: { "content-type": "application/problem+json" },
      },
    );
  }
  const next = NextResponse.next({ request: { headers: requestHeaders } });
  if (OPEN.test(request.nextUrl.pathname)) return next;
  // A page (its HTML or the router's fetch of it on a navigation, not a prefetch) is rendered only
  // when the database answers: during an outage it would fail into a 500; this answers 503 with a
  // page that retries by itself.
  if (needsDatabaseCheck(request.method, request.nextUrl.pathname, request.headers) && !(await databaseAnswers()))
    return databaseUnavailablePage();
  // A share link's page: no session; the page itself opens only a valid, unexpired, unrevoked link.
  if (SHARE_PAGE.test(request.nextUrl.pathname)) return next;
  const response = await gate(request, event);
  // Auth.js let the request through with its own NextResponse.next(): carry our request headers
  // (the nonce for the page's scripts) over to it, keeping its cookies.
  if (response.headers.get("x-middleware-next") === "1") {
    for (const [name, value] of next.headers) if (name.startsWith("x-middleware-")) response.headers.set(name, value);
  }
  return response;
}

export default async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response> {
  const isPage = !request.nextUrl.pathname.startsWith("/api/");
  const nonce = isPage ? newNonce() : undefined;
  const headers = securityHeaders({ nonce, https: isHttps(request.nextUrl, request.headers), dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  if (nonce) {
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  }
  const response = await route(request, event, requestHeaders);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  if (SHARE_PAGE.test(request.nextUrl.pathname))
    for (const [name, value] of Object.entries(SHARE_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|fonts/).*)"],
};
