"use client";

// A share page follows its incident: it asks the server for itself again every `everyMs` while it is
// visible, and at once when it becomes visible again. Each refresh re-checks the link (a revocation
// or expiry takes effect on the next one) and is told apart from a new opening by the browser's own
// Sec-Fetch-Dest header (lib/share-links/queries.ts openShareLink, `refresh`).
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function ShareAutoRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === "visible") router.refresh();
    };
    const timer = setInterval(refresh, everyMs);
    document.addEventListener("visibilitychange", refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", refresh);
    };
  }, [router, everyMs]);
  return null;
}
