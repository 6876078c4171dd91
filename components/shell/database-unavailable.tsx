"use client";

// "Database unavailable, retrying": what a page shows while its server cannot reach the database
// (a DatabaseUnavailableError). It asks the server again every few seconds and turns back into
// the page by itself once the database answers.
import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";
import { Button } from "@/components/ui/button";

const RETRY_MS = 3000;

export function DatabaseUnavailable({ onRetry }: { onRetry?: () => void }) {
  const router = useRouter();
  const retry = () =>
    startTransition(() => {
      router.refresh();
      onRetry?.();
    });
  useEffect(() => {
    const timer = setInterval(retry, RETRY_MS);
    return () => clearInterval(timer);
  });
  return (
    <main className="mx-auto max-w-xl px-4 py-16" role="alert" aria-live="polite">
      <h1 className="text-xl font-semibold">Database unavailable, retrying</h1>
      <p className="mt-2 text-sm text-muted">
        The server cannot reach its database right now. This page tries again every few seconds and comes back by itself once the database
        answers; nothing you did is lost.
      </p>
      <Button className="mt-4" onClick={retry}>
        Try again now
      </Button>
    </main>
  );
}
