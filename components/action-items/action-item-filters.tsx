import { FILTER_SELECT_CLASS, FilterBar, FilterField } from "@/components/ui/filter-bar";
import { PRIORITIES, PRIORITY_LABELS } from "@/lib/action-items/rules";
import type { ActionItemPageParams } from "@/lib/action-items/schemas";
import { incidentRef } from "@/lib/incidents/schemas";

/** The action items list's filters; the view (mine, overdue, …) stays as it is. */
export function ActionItemFilters({ params, incidents }: { params: ActionItemPageParams; incidents: { number: number; title: string }[] }) {
  const isFiltered = Boolean(params.priority || params.incident || params.group !== "none");
  return (
    <FilterBar action="/action-items" clearHref={isFiltered ? `/action-items?view=${params.view}` : null}>
      <input type="hidden" name="view" value={params.view} />
      <FilterField id="priority" label="Priority">
        <select id="priority" name="priority" defaultValue={params.priority ?? ""} className={FILTER_SELECT_CLASS}>
          <option value="">All</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABELS[p]}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="incident" label="Incident" className="min-w-0 max-w-full">
        <select id="incident" name="incident" defaultValue={params.incident ?? ""} className={`${FILTER_SELECT_CLASS} max-w-full`}>
          <option value="">All</option>
          {incidents.map((i) => (
            <option key={i.number} value={i.number}>
              {incidentRef(i.number)} {i.title.length > 50 ? `${i.title.slice(0, 50)}…` : i.title}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="group" label="Group by">
        <select id="group" name="group" defaultValue={params.group} className={FILTER_SELECT_CLASS}>
          <option value="none">Nothing (due date)</option>
          <option value="incident">Incident</option>
          <option value="priority">Priority</option>
        </select>
      </FilterField>
    </FilterBar>
  );
}
