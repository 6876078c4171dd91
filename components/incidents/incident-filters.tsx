import { INPUT_CLASS } from "@/components/ui/field";
import { FILTER_SELECT_CLASS, FilterBar, FilterField } from "@/components/ui/filter-bar";
import type { IncidentFilters as Filters } from "@/lib/incidents/schemas";
import { SEVERITIES } from "@/lib/incidents/schemas";

export function IncidentFilters({ filters, services }: { filters: Filters; services: { slug: string; name: string }[] }) {
  const isFiltered = Boolean(filters.q || filters.status || filters.severity || filters.service);
  return (
    <FilterBar action="/incidents" clearHref={isFiltered ? "/incidents" : null}>
      <FilterField id="q" label="Search" className="min-w-48 flex-1">
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={filters.q}
          placeholder="Title, version, service or INC-42"
          className={INPUT_CLASS}
        />
      </FilterField>
      <FilterField id="status" label="Status">
        <select id="status" name="status" defaultValue={filters.status ?? ""} className={FILTER_SELECT_CLASS}>
          <option value="">All</option>
          <option value="ongoing">Ongoing</option>
          <option value="resolved">Resolved</option>
        </select>
      </FilterField>
      <FilterField id="severity" label="Severity">
        <select id="severity" name="severity" defaultValue={filters.severity ?? ""} className={FILTER_SELECT_CLASS}>
          <option value="">All</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </FilterField>
      <FilterField id="service" label="Service">
        <select id="service" name="service" defaultValue={filters.service ?? ""} className={FILTER_SELECT_CLASS}>
          <option value="">All</option>
          {services.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </FilterField>
    </FilterBar>
  );
}
