import Link from "next/link";
import { INPUT_CLASS } from "@/components/ui/field";
import type { IncidentFilters as Filters } from "@/lib/incidents/schemas";
import { SEVERITIES } from "@/lib/incidents/schemas";

/** A plain GET form: filters live in the URL, so a filtered list can be shared and bookmarked. */
export function IncidentFilters({ filters, services }: { filters: Filters; services: { slug: string; name: string }[] }) {
  const select = `${INPUT_CLASS} w-auto`;
  return (
    <search>
      <form method="get" action="/incidents" className="flex flex-wrap items-end gap-3 rounded-lg border border-line bg-surface p-3">
        <div className="min-w-48 flex-1">
          <label htmlFor="q" className="mb-1 block text-xs font-medium text-muted">
            Search
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={filters.q}
            placeholder="Title, version, service or INC-42"
            className={INPUT_CLASS}
          />
        </div>
        <div>
          <label htmlFor="status" className="mb-1 block text-xs font-medium text-muted">
            Status
          </label>
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={select}>
            <option value="">All</option>
            <option value="ongoing">Ongoing</option>
            <option value="resolved">Resolved</option>
          </select>
        </div>
        <div>
          <label htmlFor="severity" className="mb-1 block text-xs font-medium text-muted">
            Severity
          </label>
          <select id="severity" name="severity" defaultValue={filters.severity ?? ""} className={select}>
            <option value="">All</option>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="service" className="mb-1 block text-xs font-medium text-muted">
            Service
          </label>
          <select id="service" name="service" defaultValue={filters.service ?? ""} className={select}>
            <option value="">All</option>
            {services.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md border border-line bg-surface-2 px-3 py-2 text-sm font-medium hover:bg-canvas">
          Filter
        </button>
        {(filters.q || filters.status || filters.severity || filters.service) && (
          <Link href="/incidents" className="py-2 text-sm text-muted hover:text-fg">
            Clear
          </Link>
        )}
      </form>
    </search>
  );
}
