import type { Metadata } from "next";
import Link from "next/link";
import { ActionItemCard } from "@/components/action-items/action-item-card";
import { ActionItemFilters } from "@/components/action-items/action-item-filters";
import { cn } from "@/components/ui/cn";
import { type ActionItemRow, type ActionItemView, listActionItems, listIncidentsWithActionItems } from "@/lib/action-items/queries";
import { PRIORITIES, PRIORITY_LABELS } from "@/lib/action-items/rules";
import { type ActionItemPageParams, actionItemPageSchema } from "@/lib/action-items/schemas";
import { requireUser } from "@/lib/auth/session";
import { now as clockNow } from "@/lib/clock";
import { incidentRef } from "@/lib/incidents/schemas";

export const metadata: Metadata = { title: "Action items" };

const VIEWS: { id: ActionItemView; label: string; empty: string }[] = [
  { id: "mine", label: "Mine", empty: "Nothing assigned to you is open." },
  { id: "overdue", label: "Overdue", empty: "Nothing is overdue." },
  { id: "open", label: "Open", empty: "No open action items." },
  { id: "all", label: "All", empty: "No action items yet." },
];

function hrefFor(params: ActionItemPageParams, change: Partial<ActionItemPageParams>): string {
  const next = { ...params, ...change };
  const q = new URLSearchParams({ view: next.view });
  if (next.priority) q.set("priority", next.priority);
  if (next.incident) q.set("incident", String(next.incident));
  if (next.group !== "none") q.set("group", next.group);
  return `/action-items?${q}`;
}

function groupItems(
  items: ActionItemRow[],
  group: ActionItemPageParams["group"],
): { key: string; label: string; items: ActionItemRow[] }[] {
  if (group === "none") return [{ key: "all", label: "", items }];
  const groups = new Map<string, { key: string; label: string; items: ActionItemRow[] }>();
  const ordered =
    group === "priority"
      ? [...items].sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority))
      : [...items].sort((a, b) => b.incident.number - a.incident.number);
  for (const item of ordered) {
    const key = group === "priority" ? item.priority : String(item.incident.number);
    const label =
      group === "priority" ? `${PRIORITY_LABELS[item.priority]} priority` : `${incidentRef(item.incident.number)} ${item.incident.title}`;
    const g = groups.get(key) ?? { key, label, items: [] };
    g.items.push(item);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export default async function ActionItemsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const params = actionItemPageSchema.parse(await searchParams);
  const now = clockNow();
  const [{ items, counts }, incidents] = await Promise.all([
    listActionItems({ view: params.view, priority: params.priority, incident: params.incident }, user.id, now),
    listIncidentsWithActionItems(),
  ]);
  const view = VIEWS.find((v) => v.id === params.view) ?? VIEWS[0];
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Action items</h1>
      <nav aria-label="Action item views" className="flex flex-wrap gap-1">
        {VIEWS.map((v) => (
          <Link
            key={v.id}
            href={hrefFor(params, { view: v.id })}
            aria-current={v.id === params.view ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 text-sm",
              v.id === params.view ? "bg-fg text-canvas" : "text-muted hover:bg-surface",
              v.id === "overdue" && counts.overdue > 0 && v.id !== params.view && "font-semibold text-danger",
            )}
          >
            {v.label} <span className="tabular-nums">({counts[v.id]})</span>
          </Link>
        ))}
      </nav>
      <ActionItemFilters params={params} incidents={incidents} />
      {items.length === 0 ? (
        <p className="rounded-lg border border-line bg-surface p-4 text-sm text-muted">
          {view?.empty} Action items are added on an incident's page and its root-cause analysis.
        </p>
      ) : (
        groupItems(items, params.group).map((g) => (
          <section key={g.key} aria-label={g.label || `${view?.label} action items`} className="space-y-2">
            {g.label && (
              <h2 className="text-sm font-semibold">
                {g.label} <span className="font-normal text-muted">({g.items.length})</span>
              </h2>
            )}
            <ul className="divide-y divide-line rounded-lg border border-line bg-surface">
              {g.items.map((item) => (
                <ActionItemCard key={item.id} item={item} now={now} showIncident={params.group !== "incident"} />
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
