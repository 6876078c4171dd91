"use client";

// What a page shows when its server could not render it. When the database did not answer (a
// DatabaseUnavailableError, recognised by its digest, which Next passes on unchanged) the page
// says so and tries again by itself; anything else gets a plain message and a button (the
// details are in the server's log, never shown here).
import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { DatabaseUnavailable } from "@/components/shell/database-unavailable";
import { Button } from "@/components/ui/button";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/db-retry";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  if (error.digest === DATABASE_UNAVAILABLE_DIGEST) return <DatabaseUnavailable onRetry={reset} />;
  return (
    <main className="mx-auto max-w-xl px-4 py-16" role="alert">
      <h1 className="text-xl font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm text-muted">
        Something went wrong on the server. Try again; if it keeps happening, the server's log says why.
      </p>
      <Button
        className="mt-4"
        onClick={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        Try again
      </Button>
    </main>
  );
}
