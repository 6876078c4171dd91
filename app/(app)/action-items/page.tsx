import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { type ActionItemView, listActionItems } from "@/lib/action-items/queries";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Action items" };

const VIEWS: { id: ActionItemView; label: string }[] = [
  { id: "mine", label: "Mine" },
  { id: "overdue", label: "Overdue" },
  { id: "all", label: "All" },
];

export default async function ActionItemsPage({ searchParams }: { searchParams: Promise<{ view?: string }> }) {
  const user = await requireUser();
  const requested = (await searchParams).view;
  const view: ActionItemView = VIEWS.some((v) => v.id === requested) ? (requested as ActionItemView) : "mine";
  const items = await listActionItems(view, user.id);
  const now = Date.now();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Action items</h1>
      <nav aria-label="Action item views" className="flex gap-1">
        {VIEWS.map((v) => (
          <Link
            key={v.id}
            href={`/action-items?view=${v.id}`}
            aria-current={v.id === view ? "page" : undefined}
            className={cn("rounded-md px-3 py-1.5 text-sm", v.id === view ? "bg-fg text-canvas" : "text-muted hover:bg-surface")}
          >
            {v.label}
          </Link>
        ))}
      </nav>
      <div className="rounded-lg border border-line bg-surface">
        {items.length === 0 ? (
          <p className="p-4 text-sm text-muted">
            {view === "mine" ? "Nothing assigned to you is open." : view === "overdue" ? "Nothing is overdue." : "No action items yet."}{" "}
            Action items come out of an incident's root-cause analysis.
          </p>
        ) : (
          <ul className="divide-y divide-line">
            {items.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
                <Badge tone={a.priority === "HIGH" ? "danger" : a.priority === "MEDIUM" ? "warn" : "neutral"}>{a.priority}</Badge>
                <span className="flex-1 font-medium">{a.title}</span>
                <Link href={`/incidents/${a.incident.number}`} className="font-mono text-xs text-muted hover:underline">
                  INC-{a.incident.number}
                </Link>
                <span className="text-muted">{a.owner?.name ?? "Unassigned"}</span>
                {a.dueDate && (
                  <span className={a.dueDate.getTime() < now && a.status !== "DONE" ? "text-danger" : "text-muted"}>
                    due <LocalTime iso={a.dueDate.toISOString()} style="date" />
                  </span>
                )}
                <Badge tone={a.status === "DONE" ? "ok" : "neutral"}>{a.status.replace("_", " ").toLowerCase()}</Badge>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
