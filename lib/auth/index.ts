// Auth.js with email + password. The token names a session row (lib/auth/sessions.ts): the row,
// the role and "disabled" are read from the database on every request, so ending a session,
// disabling a user or changing a role takes effect on the next one.
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { authConfig } from "./config";
import { checkCredentials } from "./credentials";
import { clientAddress } from "./request";

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
  ],
});
