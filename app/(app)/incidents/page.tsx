import type { Metadata } from "next";
import Link from "next/link";
import { OverdueReminders } from "@/components/action-items/overdue-reminders";
import { IncidentFilters } from "@/components/incidents/incident-filters";
import { IncidentTable } from "@/components/incidents/incident-table";
import { ButtonLink } from "@/components/ui/button";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { listIncidents, listServiceOptions } from "@/lib/incidents/queries";
import { incidentFiltersSchema } from "@/lib/incidents/schemas";
import { incidentsWithOverdueUpdate } from "@/lib/status-updates/queries";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const raw = await searchParams;
  const filters = incidentFiltersSchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [{ ongoing, recent, recentTotal, pageCount }, services] = await Promise.all([listIncidents(filters), listServiceOptions()]);
  // Responders owe stakeholders their updates: the list flags the incidents whose next one is overdue.
  const overdueUpdates = can(user.role, "incident:update")
    ? await incidentsWithOverdueUpdate(
        ongoing.map((i) => i.id),
        now(),
      )
    : undefined;
  const showOngoing = !filters.status || filters.status !== "resolved";
  const showRecent = !filters.status || filters.status === "resolved" || filters.status === "RESOLVED";

  const pageHref = (page: number) => {
    const params = new URLSearchParams(Object.entries({ ...filters, page: String(page) }).filter(([, v]) => v) as [string, string][]);
    return `/incidents?${params}`;
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Incidents</h1>
        {can(user.role, "incident:declare") && <ButtonLink href="/incidents/new">Declare incident</ButtonLink>}
      </div>

      <OverdueReminders userId={user.id} />

      <IncidentFilters filters={filters} services={services} />

      {showOngoing && (
        <section aria-labelledby="ongoing-h" className="rounded-lg border border-line bg-surface">
          <h2 id="ongoing-h" className="flex items-center gap-2 border-b border-line px-4 py-3 text-sm font-semibold">
            Ongoing
            <span className="rounded-full bg-danger-soft px-2 text-xs text-danger">{ongoing.length}</span>
          </h2>
          <IncidentTable
            rows={ongoing}
            caption="Ongoing incidents"
            empty="No ongoing incidents match. Quiet is good."
            overdueUpdates={overdueUpdates}
          />
        </section>
      )}

      {showRecent && (
        <section aria-labelledby="recent-h" className="rounded-lg border border-line bg-surface">
          <h2 id="recent-h" className="border-b border-line px-4 py-3 text-sm font-semibold">
            Resolved <span className="font-normal text-muted">({recentTotal})</span>
          </h2>
          <IncidentTable rows={recent} caption="Resolved incidents" empty="No resolved incidents match." timeLabel="Duration" />
          {pageCount > 1 && (
            <nav aria-label="Pages" className="flex items-center justify-between border-t border-line px-4 py-3 text-sm">
              {filters.page > 1 ? <Link href={pageHref(filters.page - 1)}>← Newer</Link> : <span />}
              <span className="text-muted">
                Page {filters.page} of {pageCount}
              </span>
              {filters.page < pageCount ? <Link href={pageHref(filters.page + 1)}>Older →</Link> : <span />}
            </nav>
          )}
        </section>
      )}
    </div>
  );
}
