"use client";

// Re-renders the server parts of the page when the live channel says something changed: a burst
// of events (a step's state, its timeline entry, the run's end) becomes one refresh.
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { type LiveTopic, useIncidentEvents } from "./incident-stream";

export function RefreshOnEvents({ topics, debounceMs = 250 }: { topics: readonly LiveTopic[]; debounceMs?: number }) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useIncidentEvents(topics, () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => router.refresh(), debounceMs);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return null;
}
