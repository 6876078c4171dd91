"use client";

// A clock that counts up from an instant, re-rendered every second.
import { useEffect, useState } from "react";
import { formatDuration } from "@/lib/metrics/format";

export function Elapsed({ since, until }: { since: string; until?: string | null }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (until) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [until]);
  const end = until ? Date.parse(until) : now;
  return <span className="tabular-nums">{end === null ? "…" : formatDuration(end - Date.parse(since))}</span>;
}
