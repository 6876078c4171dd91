// A shared incident, for people without an account: its status update, milestones and timeline, read-only,
// through a link a release manager made (lib/share-links/). Nothing else of the installation: no
// navigation, no other incident, no names unless the link's creator chose to show them. proxy.ts
// lets it through without a session and sends it with no-referrer, noindex and no-store.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { SeverityBadge, StatusBadge } from "@/components/incidents/badges";
import { ShareAutoRefresh } from "@/components/share-links/share-auto-refresh";
import { StatusUpdateCard } from "@/components/status-updates/status-update-card";
import { MilestonesBar } from "@/components/timeline/milestones-bar";
import { TimelineList } from "@/components/timeline/timeline-list";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { clientAddress } from "@/lib/auth/request";
import { now } from "@/lib/clock";
import { incidentRef } from "@/lib/incidents/schemas";
import { getSharedIncident, openShareLink } from "@/lib/share-links/queries";

export const metadata: Metadata = {
  title: "Incident status",
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

/** How often an open share page asks for itself again. */
const REFRESH_MS = 15_000;

export default async function SharedIncidentPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const h = await headers();
  // The page refreshing itself is a fetch (Sec-Fetch-Dest "empty", set by the browser, never by a
  // script); a person opening the link loads a document. A client that sends the header itself is
  // still audited once per address and half day (openShareLink).
  const opened = await openShareLink(token, { address: clientAddress(h), refresh: h.get("sec-fetch-dest") === "empty" });
  if (!opened.ok) {
    // One answer for every reason (revoked, expired, never was): the page tells a guesser nothing.
    return (
      <main id="main" className="grid min-h-dvh place-items-center px-4">
        <div className="max-w-md space-y-2 text-center">
          <h1 className="text-xl font-semibold">This link is no longer valid</h1>
          <p className="text-sm text-muted">It may have expired or been revoked. Ask the person who shared it for a new one.</p>
        </div>
      </main>
    );
  }
  const { incident, latestUpdate, milestones, events } = await getSharedIncident(opened.incidentId, opened.showNames);
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-6">
      <header className="space-y-1">
        <p className="text-xs text-muted">
          Shared read-only status · this link works until <LocalTime iso={opened.expiresAt.toISOString()} />
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm text-muted">{incidentRef(incident.number)}</span>
          <SeverityBadge severity={incident.severity} />
          <StatusBadge status={incident.status} />
        </div>
        <h1 className="text-2xl font-semibold">{incident.title}</h1>
        <p className="text-sm text-muted">
          {incident.service.name} · detected <LocalTime iso={incident.detectedAt.toISOString()} />
          {incident.resolvedAt && (
            <>
              {" "}
              · resolved <LocalTime iso={incident.resolvedAt.toISOString()} />
            </>
          )}
        </p>
      </header>
      <StatusUpdateCard latest={latestUpdate} canPost={false} people={opened.showNames} />
      <MilestonesBar milestones={milestones} />
      <Card title="Timeline">
        <TimelineList entries={events} readOnly showLinks={false} />
      </Card>
      <p className="text-xs text-muted">
        This page updates by itself every {REFRESH_MS / 1000} seconds while it is open · last updated{" "}
        <LocalTime iso={now().toISOString()} style="time" />
      </p>
      <ShareAutoRefresh everyMs={REFRESH_MS} />
    </main>
  );
}
