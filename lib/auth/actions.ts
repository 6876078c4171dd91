"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "./index";

export type SignInState = { error?: string; email?: string };

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password."),
  callbackUrl: z.string().optional(),
});

/** Only same-site paths: a crafted callbackUrl must not send people elsewhere after sign-in. */
function safeRedirect(url: string | undefined): string {
  return url?.startsWith("/") && !url.startsWith("//") ? url : "/incidents";
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse(Object.fromEntries(form));
  const email = String(form.get("email") ?? "");
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeRedirect(parsed.data.callbackUrl),
    });
  } catch (e) {
    // signIn redirects by throwing; only Auth.js' own errors mean "refused".
    if (e instanceof AuthError) {
      return { error: "Email or password is incorrect, or the account is disabled.", email };
    }
    throw e;
  }
  return {};
}

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
