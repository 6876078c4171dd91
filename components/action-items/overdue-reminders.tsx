// The reminder an owner sees when they sign in (the incidents page is where sign-in lands): their
// action items past due, each linked to its incident.
import Link from "next/link";
import { listOverdueForOwner } from "@/lib/action-items/queries";
import { dateToDueDay } from "@/lib/action-items/rules";
import { incidentRef } from "@/lib/incidents/schemas";
import { PriorityBadge } from "./action-item-card";

export async function OverdueReminders({ userId }: { userId: string }) {
  const overdue = await listOverdueForOwner(userId);
  if (overdue.length === 0) return null;
  return (
    <section aria-labelledby="overdue-reminders-h" className="rounded-lg border border-danger/50 bg-danger-soft p-4">
      <h2 id="overdue-reminders-h" className="text-sm font-semibold text-danger">
        {overdue.length === 1 ? "You have 1 overdue action item" : `You have ${overdue.length} overdue action items`}
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        {overdue.map((a) => (
          <li key={a.id} className="flex flex-wrap items-center gap-2">
            <PriorityBadge priority={a.priority} />
            <Link href={`/incidents/${a.incident.number}#action-items`} className="font-medium hover:underline">
              {a.title}
            </Link>
            <span className="text-xs text-muted">
              {incidentRef(a.incident.number)} · was due {a.dueDate ? dateToDueDay(a.dueDate) : "—"}
            </span>
          </li>
        ))}
      </ul>
      <Link href="/action-items?view=overdue" className="mt-2 inline-block text-sm text-danger underline-offset-2 hover:underline">
        All overdue action items
      </Link>
    </section>
  );
}
