"use client";

// Keeps a browser's checklist current. Until the live channel is merged this fetches the snapshot
// every few seconds; the checklist merges by version either way, so nothing shown ever goes back.
import { useCallback, useEffect, useRef } from "react";
import type { ChecklistEvent, ChecklistView } from "@/lib/checklist/view";

const POLL_MS = 3000;

export function useChecklistFeed(
  incidentNumber: number,
  onEvent: (event: ChecklistEvent) => void,
  onSnapshot: (snapshot: ChecklistView | null) => void,
) {
  const handlers = useRef({ onEvent, onSnapshot });
  handlers.current = { onEvent, onSnapshot };

  const refetch = useCallback(async () => {
    const res = await fetch(`/api/incidents/${incidentNumber}/checklist`, { cache: "no-store" });
    if (!res.ok) return;
    const body = (await res.json()) as { checklist: ChecklistView | null };
    handlers.current.onSnapshot(body.checklist);
  }, [incidentNumber]);

  useEffect(() => {
    const timer = setInterval(() => void refetch().catch(() => {}), POLL_MS);
    return () => clearInterval(timer);
  }, [refetch]);

  return { refetch };
}
