import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/shell/sign-in-form";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getCurrentUser()) redirect("/incidents");
  const { callbackUrl } = await searchParams;
  const showDemoHint = process.env.BACKOUT_DEMO === "1";
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
        <div className="rounded-lg border border-line bg-surface p-6 shadow-sm">
          <SignInForm callbackUrl={callbackUrl} />
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
