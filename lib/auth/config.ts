// The part of the Auth.js configuration that needs no database, shared with proxy.ts.
import { NextResponse } from "next/server";
import type { NextAuthConfig } from "next-auth";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

declare module "next-auth" {
  interface User {
    /** The session row started by this sign-in (lib/auth/sessions.ts). */
    sessionId?: string;
  }
  interface Session {
    sessionId?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    /** The session row: without an open one the token is worthless (lib/auth/session.ts). */
    sid?: string;
  }
}

export const authConfig = {
  // Auth.js's own errors (a failed single sign-on) land on the sign-in page too, which says why.
  pages: { signIn: "/sign-in", error: "/sign-in" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Backout is self-hosted behind the operator's own load balancer; the Host header is theirs.
  trustHost: true,
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      if (auth?.user) return true;
      // API clients (fetch, EventSource) get a 401 they can act on, not a redirect to an HTML page.
      if (request.nextUrl.pathname.startsWith("/api/")) return Response.json({ error: "Sign in again." }, { status: 401 });
      // Back here after sign-in, named by path: Next's absolute URL of the request can have another
      // host than the browser's (localhost for 127.0.0.1, the app's own address behind a proxy),
      // which the sign-in form would rightly refuse as another origin.
      const signIn = request.nextUrl.clone();
      signIn.pathname = "/sign-in";
      signIn.search = "";
      signIn.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
      return NextResponse.redirect(signIn);
    },
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      if (user?.sessionId) token.sid = user.sessionId;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (token.sid) session.sessionId = token.sid;
      return session;
    },
  },
} satisfies NextAuthConfig;
