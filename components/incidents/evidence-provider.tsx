"use client";

// One poll per incident page, shared by the Evidence and Decision sections: evidence, probes and
// the decision framework every 5 s (metrics are not event-driven). Changes to the incident itself
// arrive over the live channel (components/live/incident-stream.tsx).
//
// The first copy comes with the page: the server starts computing it while it renders and hands
// the promise over (`initial`); the components that read it suspend until it has streamed in, so
// the verdicts and charts are in the first response and the rest of the page is not held for them.
// The poll takes over 5 s later; a range the user picks is fetched at once.
import { createContext, type ReactNode, startTransition, use, useCallback, useContext, useEffect, useRef, useState } from "react";
import type { EvidencePayload } from "@/lib/incidents/evidence";
import { DEFAULT_CHART_WIDTH, type RangeId } from "@/lib/metrics/ranges";

export const REFRESH_MS = 5000;

type EvidenceContextValue = {
  polled: EvidencePayload | null;
  initial: Promise<EvidencePayload | null>;
  fetchError: string | null;
  range: RangeId | null;
  setRange: (range: RangeId) => void;
  setWidth: (width: number) => void;
};

type EvidenceState = Omit<EvidenceContextValue, "polled" | "initial"> & { evidence: EvidencePayload | null };

const EvidenceContext = createContext<EvidenceContextValue | null>(null);

/** The latest evidence. Suspends until the page's first copy has streamed in: call it under a <Suspense>. */
export function useEvidence(): EvidenceState {
  const value = useContext(EvidenceContext);
  if (!value) throw new Error("useEvidence needs an EvidenceProvider");
  const { polled, initial, ...rest } = value;
  const evidence = polled ?? use(initial);
  return { ...rest, evidence, range: rest.range ?? evidence?.range ?? null };
}

export function EvidenceProvider({
  incidentNumber,
  initial,
  children,
}: {
  incidentNumber: number;
  /** The server's copy for the default range; resolves to null when it could not be computed. */
  initial: Promise<EvidencePayload | null>;
  children: ReactNode;
}) {
  // The first promise only: a refresh of the page (live events) brings a new one, which must neither
  // suspend what is on screen again nor restart the poll.
  const [first] = useState(initial);
  const [range, setRange] = useState<RangeId | null>(null);
  // Read at each poll rather than refetching on every resize: the next poll draws at the new width.
  const width = useRef(DEFAULT_CHART_WIDTH);
  const [polled, setPolled] = useState<EvidencePayload | null>(null);
  const [fetchError, setFetchError] = useState<string | null>(null);
  const setWidth = useCallback((w: number) => {
    width.current = w;
  }, []);

  const load = useCallback(
    async (signal: AbortSignal) => {
      const params = new URLSearchParams({ width: String(width.current) });
      if (range) params.set("range", range);
      try {
        const res = await fetch(`/api/incidents/${incidentNumber}/evidence?${params}`, { cache: "no-store", signal });
        if (res.status === 401) {
          setFetchError("Your session has ended: sign in again to keep the evidence up to date.");
          return;
        }
        if (!res.ok) throw new Error(String(res.status));
        const next = (await res.json()) as EvidencePayload;
        // A transition: drawing the new evidence yields to whatever the person is doing meanwhile.
        startTransition(() => {
          setPolled(next);
          setFetchError(null);
        });
      } catch (e) {
        if ((e as Error).name !== "AbortError")
          setFetchError("Backout did not answer the last refresh; retrying every 5 s. What you see may be stale.");
      }
    },
    [incidentNumber, range],
  );

  useEffect(() => {
    const controller = new AbortController();
    if (range !== null) void load(controller.signal);
    // The default range: the page brought it; fetch now only if the server's copy failed.
    else
      void first.then((payload) => {
        if (!payload && !controller.signal.aborted) void load(controller.signal);
      });
    const timer = setInterval(() => void load(controller.signal), REFRESH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [load, range, first]);

  return (
    <EvidenceContext.Provider value={{ polled, initial: first, fetchError, range, setRange, setWidth }}>
      {children}
    </EvidenceContext.Provider>
  );
}
