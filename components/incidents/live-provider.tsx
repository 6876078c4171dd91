"use client";

// One poll per incident page, shared by the Evidence and Decision sections: evidence, probes and
// the decision framework every 5 s (metrics are not event-driven). Changes to the incident itself
// arrive over the live channel (components/live/incident-stream.tsx).
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import type { LivePayload } from "@/lib/incidents/live";
import type { RangeId } from "@/lib/metrics/ranges";

export const REFRESH_MS = 5000;

type LiveState = {
  live: LivePayload | null;
  fetchError: string | null;
  range: RangeId | null;
  setRange: (range: RangeId) => void;
  setWidth: (width: number) => void;
};

const LiveContext = createContext<LiveState | null>(null);

export function useLive(): LiveState {
  const value = useContext(LiveContext);
  if (!value) throw new Error("useLive needs a LiveProvider");
  return value;
}

export function LiveProvider({ incidentNumber, children }: { incidentNumber: number; children: ReactNode }) {
  const [range, setRange] = useState<RangeId | null>(null);
  const [width, setWidth] = useState(720);
  const [live, setLive] = useState<LivePayload | null>(null);
  const [fetchError, setFetchError] = useState<string | null>(null);

  const load = useCallback(
    async (signal: AbortSignal) => {
      const params = new URLSearchParams({ width: String(width) });
      if (range) params.set("range", range);
      try {
        const res = await fetch(`/api/incidents/${incidentNumber}/live?${params}`, { cache: "no-store", signal });
        if (res.status === 401) {
          setFetchError("Your session has ended: sign in again to keep this page live.");
          return;
        }
        if (!res.ok) throw new Error(String(res.status));
        const next = (await res.json()) as LivePayload;
        setLive(next);
        setFetchError(null);
      } catch (e) {
        if ((e as Error).name !== "AbortError")
          setFetchError("Backout did not answer the last refresh; retrying every 5 s. What you see may be stale.");
      }
    },
    [incidentNumber, range, width],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    const timer = setInterval(() => void load(controller.signal), REFRESH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [load]);

  return (
    <LiveContext.Provider value={{ live, fetchError, range: range ?? live?.range ?? null, setRange, setWidth }}>
      {children}
    </LiveContext.Provider>
  );
}
