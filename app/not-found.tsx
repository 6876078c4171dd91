import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";

export const metadata: Metadata = { title: "Not found" };

// Rendered per request, not prerendered: a prerendered page's scripts cannot carry the request's
// nonce, and the Content-Security-Policy (proxy.ts) would block them.
export default async function NotFound() {
  await connection();
  return (
    <main className="grid min-h-dvh place-items-center px-4">
      <div className="space-y-3 text-center">
        <h1 className="text-xl font-semibold">Not found</h1>
        <p className="text-sm text-muted">There is nothing at this address.</p>
        <Link href="/incidents" className="text-sm underline">
          Go to incidents
        </Link>
      </div>
    </main>
  );
}
