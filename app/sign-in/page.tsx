import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/shell/sign-in-form";
import { SsoButton } from "@/components/shell/sso-button";
import { FormAlert } from "@/components/ui/field";
import { ssoProviderName } from "@/lib/auth";
import { OIDC_REFUSAL_MESSAGES } from "@/lib/auth/oidc-sign-in";
import { getCurrentUser } from "@/lib/auth/session";
import { passwordSignInEnabled } from "@/lib/auth/sso";

export const metadata: Metadata = { title: "Sign in" };

/** What went wrong with a single sign-on (`?error=`: Backout's refusal, or Auth.js's error code). */
function ssoError(code: string | undefined): string | null {
  if (!code) return null;
  if (code in OIDC_REFUSAL_MESSAGES) return OIDC_REFUSAL_MESSAGES[code as keyof typeof OIDC_REFUSAL_MESSAGES];
  return "Single sign-on did not complete (the identity provider refused, or the answer could not be checked). Try again; if it keeps happening, tell an admin.";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await getCurrentUser()) redirect("/incidents");
  const { callbackUrl, error } = await searchParams;
  const passwords = passwordSignInEnabled();
  const sso = ssoProviderName();
  const problem = ssoError(error);
  const showDemoHint = process.env.BACKOUT_DEMO === "1" && passwords;
  return (
    <main className="grid min-h-dvh place-items-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <span aria-hidden className="mx-auto mb-3 grid size-10 place-items-center rounded-lg bg-red-600 text-xl font-bold text-white">
            ↶
          </span>
          <h1 className="text-xl font-semibold">Sign in to Backout</h1>
          <p className="mt-1 text-sm text-muted">Incident response and rollback control room</p>
        </div>
        <div className="space-y-4 rounded-lg border border-line bg-surface p-6 shadow-sm">
          {problem && <FormAlert>{problem}</FormAlert>}
          {sso && <SsoButton name={sso} callbackUrl={callbackUrl} />}
          {sso && passwords && (
            <p className="flex items-center gap-3 text-xs text-muted before:h-px before:flex-1 before:bg-line after:h-px after:flex-1 after:bg-line">
              or with a password
            </p>
          )}
          {passwords && <SignInForm callbackUrl={callbackUrl} />}
          {!sso && !passwords && (
            <p className="text-sm">
              Password sign-in is switched off and no single sign-on is configured. An administrator sets <code>BACKOUT_OIDC_ISSUER</code>,{" "}
              <code>BACKOUT_OIDC_CLIENT_ID</code> and <code>BACKOUT_OIDC_CLIENT_SECRET</code>.
            </p>
          )}
        </div>
        {showDemoHint && (
          <p className="rounded-md border border-warn/30 bg-warn-soft p-3 text-xs text-warn">
            Demo mode: sign in as <code>responder@backout.demo</code>, <code>rm@backout.demo</code>, <code>viewer@backout.demo</code> or{" "}
            <code>admin@backout.demo</code> with the password <code>backout-demo</code>. Demo accounts only — never on a real install.
          </p>
        )}
      </div>
    </main>
  );
}
