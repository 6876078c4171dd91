"use client";

// Keeps a browser's checklist current from the incident's live channel: each "checklist" event is
// handed over as it arrives, and every time the stream (re)connects the whole snapshot is fetched,
// so a change made while this browser was away is never missed. The checklist merges by version,
// so an event arriving twice or late never takes an item back.
import { useCallback, useEffect, useRef } from "react";
import { useIncidentEvents, useStreamStatus } from "@/components/live/incident-stream";
import type { ChecklistEvent, ChecklistView } from "@/lib/checklist/view";
import type { LiveEventMessage } from "@/lib/live/topics";

export function useChecklistFeed(
  incidentNumber: number,
  onEvent: (event: ChecklistEvent, message: LiveEventMessage) => void,
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

  useIncidentEvents("checklist", (event) => handlers.current.onEvent(event.payload as ChecklistEvent, event));

  const status = useStreamStatus();
  useEffect(() => {
    if (status === "live") void refetch().catch(() => {});
  }, [status, refetch]);

  return { refetch };
}
