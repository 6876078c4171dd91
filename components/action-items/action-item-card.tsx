// One action item as every page shows it: what, priority, status, owner, due day (overdue stands
// out), how completion is verified, its link, and who closed it with their note.
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import type { ActionItemPriority, ActionItemStatus } from "@/generated/prisma/enums";
import type { ActionItemRow } from "@/lib/action-items/queries";
import { dateToDueDay, isOverdue, PRIORITY_LABELS, STATUS_LABELS } from "@/lib/action-items/rules";
import { incidentRef } from "@/lib/incidents/schemas";

const PRIORITY_TONES: Record<ActionItemPriority, Tone> = { HIGH: "danger", MEDIUM: "warn", LOW: "neutral" };
const STATUS_TONES: Record<ActionItemStatus, Tone> = { NOT_STARTED: "neutral", IN_PROGRESS: "info", DONE: "ok" };

export function PriorityBadge({ priority }: { priority: ActionItemPriority }) {
  return <Badge tone={PRIORITY_TONES[priority]}>{PRIORITY_LABELS[priority]}</Badge>;
}

export function ActionItemStatusBadge({ status }: { status: ActionItemStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

const DAY_MS = 86_400_000;

function overdueDays(dueDate: Date, now: Date): number {
  return Math.max(1, Math.floor((now.getTime() - dueDate.getTime()) / DAY_MS));
}

function ItemLink({ item }: { item: ActionItemRow }) {
  if (item.linkUrl) {
    return (
      <a href={item.linkUrl} rel="noopener noreferrer nofollow" target="_blank" className="break-all text-accent hover:underline">
        {item.linkUrl}
      </a>
    );
  }
  if (item.linkRunbook) {
    return (
      <Link href={`/services/${item.linkRunbook.service.slug}/runbooks/${item.linkRunbook.id}`} className="text-accent hover:underline">
        Runbook: {item.linkRunbook.name}
      </Link>
    );
  }
  if (item.linkService) {
    return (
      <Link href={`/services/${item.linkService.slug}`} className="text-accent hover:underline">
        Service: {item.linkService.name}
      </Link>
    );
  }
  return null;
}

export function ActionItemCard({
  item,
  now,
  showIncident = false,
  controls,
}: {
  item: ActionItemRow;
  now: Date;
  showIncident?: boolean;
  /** The editing controls, for people who may change items. */
  controls?: ReactNode;
}) {
  const overdue = isOverdue(item, now);
  return (
    <li
      aria-label={`Action item: ${item.title}`}
      data-overdue={overdue || undefined}
      className={cn("space-y-2 px-4 py-3 text-sm", overdue && "border-l-4 border-danger bg-danger-soft/40")}
    >
      <div className="flex flex-wrap items-center gap-2">
        <PriorityBadge priority={item.priority} />
        {/* Phones: the badges on one line, the title below them; wider: one line. */}
        <span className="order-last min-w-0 basis-full font-medium break-words sm:order-none sm:basis-0 sm:flex-1">{item.title}</span>
        {overdue && item.dueDate && (
          <Badge tone="danger" className="ml-auto sm:ml-0">
            Overdue by {overdueDays(item.dueDate, now)} d
          </Badge>
        )}
        <span className={cn(!overdue && "ml-auto sm:ml-0")}>
          <ActionItemStatusBadge status={item.status} />
        </span>
      </div>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs text-muted">
        {showIncident && (
          <>
            <dt>Incident</dt>
            <dd>
              <Link href={`/incidents/${item.incident.number}#action-items`} className="text-fg hover:underline">
                <span className="font-mono">{incidentRef(item.incident.number)}</span> {item.incident.title}
              </Link>
            </dd>
          </>
        )}
        <dt>Owner</dt>
        <dd className="text-fg">{item.owner?.name ?? "Unassigned"}</dd>
        <dt>Due</dt>
        <dd className={overdue ? "font-semibold text-danger" : "text-fg"}>
          {item.dueDate ? <time dateTime={dateToDueDay(item.dueDate)}>{dateToDueDay(item.dueDate)}</time> : "—"}
        </dd>
        <dt>Verified by</dt>
        <dd className="whitespace-pre-wrap text-fg">{item.verification || "—"}</dd>
        {(item.linkUrl || item.linkRunbook || item.linkService) && (
          <>
            <dt>Link</dt>
            <dd>
              <ItemLink item={item} />
            </dd>
          </>
        )}
        {item.status === "DONE" && item.completedAt && (
          <>
            <dt>Closed</dt>
            <dd className="text-fg">
              by {item.completedBy?.name ?? "a removed user"}, <LocalTime iso={item.completedAt.toISOString()} />
              {item.completionNote && <span className="block whitespace-pre-wrap text-muted">“{item.completionNote}”</span>}
            </dd>
          </>
        )}
      </dl>
      {controls}
    </li>
  );
}
