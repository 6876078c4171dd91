"use client";

// Everything live on the incident page, in one wrapper: the event stream (changes to the incident,
// presence) with a debounced refresh of the server parts on timeline and step events, and the 5 s
// metrics poll (EvidenceProvider), which is not event-driven.
import type { ReactNode } from "react";
import { EvidenceProvider } from "@/components/incidents/evidence-provider";
import type { EvidencePayload } from "@/lib/incidents/evidence";
import { IncidentStreamProvider } from "./incident-stream";
import { RefreshOnEvents } from "./refresh-on-events";

const REFRESH_TOPICS = ["timeline", "step"] as const;

export function IncidentLive({
  incidentNumber,
  after,
  evidence,
  children,
}: {
  incidentNumber: number;
  after: string | null;
  /** The page's first evidence, streamed (see EvidenceProvider). */
  evidence: Promise<EvidencePayload | null>;
  children: ReactNode;
}) {
  return (
    // Keyed: moving to another incident starts a fresh stream (its own cursor, viewers, seen ids).
    <IncidentStreamProvider key={incidentNumber} incidentNumber={incidentNumber} after={after}>
      <RefreshOnEvents topics={REFRESH_TOPICS} />
      <EvidenceProvider incidentNumber={incidentNumber} initial={evidence}>
        {children}
      </EvidenceProvider>
    </IncidentStreamProvider>
  );
}
