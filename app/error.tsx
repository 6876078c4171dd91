"use client";

// What a page shows when its server could not render it. When the database did not answer (a
// DatabaseUnavailableError, recognised by its digest, which Next passes on unchanged) the page
// says so and tries again by itself every few seconds; anything else gets a plain message and a
// button (the details are in the server's log, never shown here).
import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/db-retry";

const RETRY_MS = 3000;

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const unavailable = error.digest === DATABASE_UNAVAILABLE_DIGEST;
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  useEffect(() => {
    if (!unavailable) return;
    const timer = setInterval(retry, RETRY_MS);
    return () => clearInterval(timer);
  });

  return (
    <main className="mx-auto max-w-xl px-4 py-16" role="alert" aria-live="polite">
      <h1 className="text-xl font-semibold">{unavailable ? "Database unavailable, retrying" : "This page could not be shown"}</h1>
      <p className="mt-2 text-sm text-muted">
        {unavailable
          ? "The server cannot reach its database right now. This page tries again every few seconds and comes back by itself once the database answers; nothing you did is lost."
          : "Something went wrong on the server. Try again; if it keeps happening, the server's log says why."}
      </p>
      <Button className="mt-4" onClick={retry}>
        Try again now
      </Button>
    </main>
  );
}
