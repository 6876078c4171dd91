"use client";

// "The next update is overdue": first as the server judged it (lib/status-updates/rules.ts with the
// app's clock, so the first render and the hydrated page agree), then re-judged every 15 s in the
// browser, so a responder who keeps the page open sees the promise lapse without a reload.
import { useEffect, useState } from "react";
import { LocalTime } from "@/components/ui/local-time";
import { formatDuration } from "@/lib/metrics/format";
import { overdueBy } from "@/lib/status-updates/rules";

export function OverdueFlag({ dueIso, overdueMs, resolved }: { dueIso: string; overdueMs: number | null; resolved: boolean }) {
  const [late, setLate] = useState(overdueMs);
  useEffect(() => {
    const judge = () => setLate(overdueBy({ nextUpdateAt: new Date(dueIso) }, new Date(), resolved));
    const timer = setInterval(judge, 15_000);
    return () => clearInterval(timer);
  }, [dueIso, resolved]);
  if (late === null) return null;
  return (
    <p
      role="status"
      className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm font-medium text-warn"
      data-testid="update-overdue"
    >
      The next update is overdue by {formatDuration(late)}: it was promised for <LocalTime iso={dueIso} />.
    </p>
  );
}
