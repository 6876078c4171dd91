// Auth.js with email + password and, when configured, single sign-on through any OpenID Connect
// provider (lib/auth/sso.ts, lib/auth/oidc-sign-in.ts). The token names a session row (lib/auth/sessions.ts): the row,
// the role and "disabled" are read from the database on every request, so ending a session,
// disabling a user or changing a role takes effect on the next one.
import "server-only";
import { headers } from "next/headers";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { authConfig } from "./config";
import { checkCredentials } from "./credentials";
import { checkOidcSignIn } from "./oidc-sign-in";
import { clientAddress } from "./request";
import { oidcSettings } from "./sso";

/** The provider id of single sign-on: its callback URL is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";

const sso = oidcSettings();

function oidcProvider(settings: NonNullable<typeof sso>): Provider {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: "oidc",
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid email profile" } },
    // Auth.js's user before Backout's check (callbacks.signIn) replaces the id with the account's.
    profile: (claims) => ({
      id: String(claims.sub),
      email: typeof claims.email === "string" ? claims.email : null,
      name: typeof claims.name === "string" ? claims.name : null,
    }),
  };
}

async function requestClient() {
  const h = await headers();
  return { address: clientAddress(h), userAgent: h.get("user-agent") };
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});

/** Refused for too many attempts: the sign-in form says until when (the URL only says "throttled"). */
export class SignInThrottled extends CredentialsSignin {
  code = "throttled";
  constructor(readonly until: Date) {
    super();
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A refused sign-in is expected and audited; a stack trace per wrong password is noise.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const result = await checkCredentials(getDb(), parsed.data, {
          address: clientAddress(request.headers),
          userAgent: request.headers.get("user-agent"),
        });
        if (!result.ok) throw result.reason === "throttled" ? new SignInThrottled(result.until) : new CredentialsSignin();
        const { id, email, name } = result.user;
        return { id, email, name, sessionId: result.sessionId };
      },
    }),
    ...(sso ? [oidcProvider(sso)] : []),
  ],
  callbacks: {
    ...authConfig.callbacks,
    /**
     * A single sign-on is let in only by Backout's own check (verified email, account state), which
     * names the account and starts its session row; a refusal goes back to the sign-in page, which
     * says why.
     */
    async signIn({ user, account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      if (!sso || !profile) return "/sign-in?error=sso";
      const result = await checkOidcSignIn(getDb(), profile as Record<string, unknown>, sso, await requestClient());
      if (!result.ok) return `/sign-in?error=${result.reason}`;
      user.id = result.user.id;
      user.email = result.user.email;
      user.name = result.user.name;
      user.sessionId = result.sessionId;
      return true;
    },
  },
});

/** Whether single sign-on is configured (the sign-in page shows its button). */
export function ssoProviderName(): string | null {
  return sso?.name ?? null;
}
