// An incident's action items with their controls and the form to add one: on the incident page,
// and wherever else items are made from (the RCA page). Its data comes from loadIncidentActionItems
// (lib/action-items/queries.ts), which the page reads beside the rest of its data.
import { Card } from "@/components/ui/card";
import { Section } from "@/components/ui/section";
import type { IncidentActionItemsData } from "@/lib/action-items/queries";
import { editableFields, isOverdue, OPEN_STATUSES } from "@/lib/action-items/rules";
import { ActionItemCard } from "./action-item-card";
import { ActionItemControls } from "./action-item-controls";
import { ActionItemForm } from "./action-item-form";

export function IncidentActionItems({
  incident,
  data: { items, options, now },
  id = "action-items",
}: {
  incident: { id: string };
  data: IncidentActionItemsData;
  /** The section's anchor. */
  id?: string;
}) {
  const open = items.filter((i) => (OPEN_STATUSES as readonly string[]).includes(i.status)).length;
  const overdue = items.filter((i) => isOverdue(i, now)).length;

  return (
    <Section
      id={id}
      title="Action items"
      actions={
        <p className="text-sm text-muted">
          {items.length} total · {open} open
          {overdue > 0 && <span className="font-semibold text-danger"> · {overdue} overdue</span>}
        </p>
      }
    >
      <div className="rounded-lg border border-line bg-surface">
        {items.length === 0 ? (
          <p className="p-4 text-sm text-muted">No action items yet.</p>
        ) : (
          <ul className="divide-y divide-line">
            {items.map((item) => (
              <ActionItemCard
                key={item.id}
                item={item}
                now={now}
                controls={options && <ActionItemControls status={item.status} options={options} item={editableFields(item)} />}
              />
            ))}
          </ul>
        )}
      </div>
      {options && (
        <Card title="New action item">
          <ActionItemForm incidentId={incident.id} options={options} />
        </Card>
      )}
    </Section>
  );
}
