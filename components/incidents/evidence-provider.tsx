"use client";

// One poll per incident page, shared by the Evidence and Decision sections: evidence, probes and
// the decision framework every 5 s (metrics are not event-driven). Changes to the incident itself
// arrive over the live channel (components/live/incident-stream.tsx).
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import type { EvidencePayload } from "@/lib/incidents/evidence";
import type { RangeId } from "@/lib/metrics/ranges";

export const REFRESH_MS = 5000;

type EvidenceState = {
  evidence: EvidencePayload | null;
  fetchError: string | null;
  range: RangeId | null;
  setRange: (range: RangeId) => void;
  setWidth: (width: number) => void;
};

const EvidenceContext = createContext<EvidenceState | null>(null);

export function useEvidence(): EvidenceState {
  const value = useContext(EvidenceContext);
  if (!value) throw new Error("useEvidence needs an EvidenceProvider");
  return value;
}

export function EvidenceProvider({ incidentNumber, children }: { incidentNumber: number; children: ReactNode }) {
  const [range, setRange] = useState<RangeId | null>(null);
  const [width, setWidth] = useState(720);
  const [evidence, setEvidence] = useState<EvidencePayload | null>(null);
  const [fetchError, setFetchError] = useState<string | null>(null);

  const load = useCallback(
    async (signal: AbortSignal) => {
      const params = new URLSearchParams({ width: String(width) });
      if (range) params.set("range", range);
      try {
        const res = await fetch(`/api/incidents/${incidentNumber}/evidence?${params}`, { cache: "no-store", signal });
        if (res.status === 401) {
          setFetchError("Your session has ended: sign in again to keep the evidence up to date.");
          return;
        }
        if (!res.ok) throw new Error(String(res.status));
        const next = (await res.json()) as EvidencePayload;
        setEvidence(next);
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
    <EvidenceContext.Provider value={{ evidence, fetchError, range: range ?? evidence?.range ?? null, setRange, setWidth }}>
      {children}
    </EvidenceContext.Provider>
  );
}
