"use client";

// One list of readiness checks: each with its result, its words and numbers, and its age (or
// time, when frozen). Used live by the panel and frozen by the decision.
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { formatAgo } from "@/lib/readiness/format";
import type { ReadinessCheck } from "@/lib/readiness/types";
import { RESULT } from "./tones";

/** "14 s ago", kept current. */
function Ago({ iso }: { iso: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  return <time dateTime={iso}>{now === null ? "" : formatAgo(Math.max(0, now - new Date(iso).getTime()))}</time>;
}

export function CheckList({ checks, label, frozen = false }: { checks: ReadinessCheck[]; label: string; frozen?: boolean }) {
  const groups = new Map<string, ReadinessCheck[]>();
  for (const c of checks) {
    const key = c.runbookName ?? "";
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return (
    <div className="space-y-3">
      {[...groups].map(([runbook, list]) => (
        <div key={runbook || "service"}>
          {runbook && groups.size > 1 && <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">{runbook}</p>}
          <ul className="space-y-1.5" aria-label={runbook && groups.size > 1 ? `${label}: ${runbook}` : label}>
            {list.map((c) => (
              <li key={c.id} className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-sm" data-testid={`readiness-${c.kind}`}>
                <Badge tone={RESULT[c.result].tone}>{RESULT[c.result].label}</Badge>
                <span className="font-medium">{c.label}</span>
                <span className="min-w-0 break-words text-muted">{c.summary}</span>
                <span className="text-xs text-muted">
                  {frozen ? <LocalTime iso={c.checkedAt} style="time" /> : <Ago iso={c.checkedAt} />}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
