"use server";

import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { OIDC_PROVIDER_ID, SignInThrottled, signIn, signOut, ssoProviderName } from "./index";
import { safeRedirect } from "./redirect";
import { requestOrigin } from "./request";
import { getCurrentSession } from "./session";
import { signOutSessions } from "./sessions";
import { passwordSignInEnabled } from "./sso";
import { throttledMessage } from "./throttle-rules";

export type SignInState = { error?: string; email?: string };

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password."),
  callbackUrl: z.string().optional(),
});

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse(Object.fromEntries(form));
  const email = String(form.get("email") ?? "");
  if (!passwordSignInEnabled()) return { error: "Password sign-in is switched off here: sign in with single sign-on." };
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      // A crafted callbackUrl must not send people to another site after signing in.
      redirectTo: safeRedirect(parsed.data.callbackUrl, requestOrigin(await headers())),
    });
  } catch (e) {
    if (e instanceof SignInThrottled) return { error: throttledMessage(e.until, new Date()), email };
    // signIn redirects by throwing; only Auth.js' own errors mean "refused".
    if (e instanceof AuthError) {
      return { error: "Email or password is incorrect, or the account is disabled.", email };
    }
    throw e;
  }
  return {};
}

/** Starts a single sign-on at the configured OpenID Connect provider (Auth.js redirects there). */
export async function signInWithSsoAction(form: FormData): Promise<void> {
  if (!ssoProviderName()) throw new Error("Single sign-on is not configured.");
  const callbackUrl = form.get("callbackUrl");
  await signIn(OIDC_PROVIDER_ID, {
    redirectTo: safeRedirect(typeof callbackUrl === "string" ? callbackUrl : undefined, requestOrigin(await headers())),
  });
}

/** Ends this browser's session in the database (the cookie alone would still be valid), then the cookie. */
export async function signOutAction() {
  const current = await getCurrentSession();
  if (current) await signOutSessions(getDb(), current.user, current.sessionId, "this", new Date());
  await signOut({ redirectTo: "/sign-in" });
}

/** Ends every session of the signed-in person, on every device, this one included. */
export async function signOutEverywhereAction() {
  const current = await getCurrentSession();
  if (current) await signOutSessions(getDb(), current.user, current.sessionId, "all", new Date());
  await signOut({ redirectTo: "/sign-in" });
}
