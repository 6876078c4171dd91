"use client";

// The live verification checklist: items by section, each change applied by version (an event or a
// snapshot never takes an item back to an older state), sign-offs, lock and the report.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useRefreshFor } from "@/components/live/incident-stream";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { SignOffRole } from "@/generated/prisma/enums";
import { SECTION_INFO, SECTIONS } from "@/lib/checklist/template-schema";
import { type ChecklistEvent, type ChecklistView, type ItemView, mergeItem, mergeSnapshot, type Person } from "@/lib/checklist/view";
import type { LiveEventMessage } from "@/lib/live/topics";
import { LockControls, ReportControls } from "./checklist-controls";
import { ChecklistItem } from "./checklist-item";
import { SignOffPanel } from "./sign-off-panel";
import { useChecklistFeed } from "./use-checklist-feed";

export type ChecklistPermissions = {
  canEdit: boolean;
  canUnlock: boolean;
  /** The sign-offs this user's role allows (each person still gives only one). */
  signOffRoles: SignOffRole[];
};

/** Re-renders every 30 s so time-locked items open and due items turn overdue without a reload. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function ChecklistPanel({
  initial,
  incidentNumber,
  user,
  permissions,
  resolved,
}: {
  initial: ChecklistView;
  incidentNumber: number;
  user: Person;
  permissions: ChecklistPermissions;
  resolved: boolean;
}) {
  const router = useRouter();
  const [view, setView] = useState(initial);
  const now = useNow();

  // A server render (after an action or a timeline change) brings a snapshot too.
  useEffect(() => setView((current) => mergeSnapshot(current, initial)), [initial]);

  const applyItem = useCallback((item: ItemView) => setView((v) => ({ ...v, items: mergeItem(v.items, item) })), []);
  const refreshFor = useRefreshFor();
  const onEvent = useCallback(
    (event: ChecklistEvent, message: LiveEventMessage) => {
      if (event.type === "item") applyItem(event.item);
      else refreshFor(message);
    },
    [applyItem, refreshFor],
  );
  const onSnapshot = useCallback(
    (snapshot: ChecklistView | null) => {
      if (!snapshot) return;
      setView((current) => {
        // Sign-offs, lock or report changed: re-render the page around us as well.
        if (snapshot.version !== current.version || snapshot.signOffs.length !== current.signOffs.length) router.refresh();
        return mergeSnapshot(current, snapshot);
      });
    },
    [router],
  );
  useChecklistFeed(incidentNumber, onEvent, onSnapshot);

  const editable = permissions.canEdit && !view.lockedAt && !resolved;
  const counts = useMemo(() => {
    const c = { done: 0, failed: 0, open: 0, na: 0 };
    for (const i of view.items) {
      if (i.status === "PASSED") c.done++;
      else if (i.status === "FAILED") c.failed++;
      else if (i.status === "NOT_APPLICABLE") c.na++;
      else c.open++;
    }
    return c;
  }, [view.items]);

  return (
    <div className="space-y-4" data-testid="checklist">
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-line bg-surface px-4 py-3">
        <div className="space-y-1 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-semibold tabular-nums" data-testid="checklist-progress">
              {counts.done + counts.na} of {view.items.length} checked
            </span>
            {counts.failed > 0 && <Badge tone="danger">{counts.failed} failed</Badge>}
            {view.lockedAt ? <Badge tone="ok">Signed off · locked</Badge> : <Badge tone="info">In progress</Badge>}
          </p>
          <p className="text-xs text-muted">
            Rollback ended <LocalTime iso={view.rollbackEndedAt} /> · started by {view.startedBy?.name ?? "—"},{" "}
            <LocalTime iso={view.startedAt} style="time" />
            {view.templateVersion ? ` · service template v${view.templateVersion}` : " · default template"}
          </p>
        </div>
      </div>

      {view.lockedAt && (
        <LockControls
          checklistId={view.id}
          lockedAt={view.lockedAt}
          lockedBy={view.lockedBy}
          canUnlock={permissions.canUnlock && !resolved}
        />
      )}
      {view.waiver && (
        <p className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm text-warn">
          Sign-off waived by {view.waiver.by?.name ?? "a release manager"}
          {view.waiver.at && (
            <>
              , <LocalTime iso={view.waiver.at} />
            </>
          )}
          : {view.waiver.reason}
        </p>
      )}

      {SECTIONS.map((section) => {
        const items = view.items.filter((i) => i.section === section);
        if (items.length === 0) return null;
        const done = items.filter((i) => i.status === "PASSED" || i.status === "NOT_APPLICABLE").length;
        return (
          <section key={section} aria-labelledby={`sec-${section}`} className="rounded-lg border border-line bg-surface">
            <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-line px-4 py-2.5">
              <h3 id={`sec-${section}`} className="text-sm font-semibold">
                {SECTION_INFO[section].title}
              </h3>
              <span className="text-xs text-muted">
                {SECTION_INFO[section].when} · {done}/{items.length}
              </span>
            </header>
            <ul className="divide-y divide-line">
              {items.map((item) => (
                <ChecklistItem
                  key={item.id}
                  item={item}
                  editable={editable}
                  open={!view.lockedAt && !resolved}
                  now={now}
                  onChange={applyItem}
                />
              ))}
            </ul>
          </section>
        );
      })}

      <SignOffPanel
        checklistId={view.id}
        signOffs={view.signOffs}
        userId={user.id}
        allowedRoles={resolved || view.lockedAt ? [] : permissions.signOffRoles}
        openItems={counts.open}
      />
      <ReportControls
        incidentNumber={incidentNumber}
        incidentId={view.incidentId}
        report={view.report}
        canRender={permissions.canEdit && !resolved && !view.lockedAt}
      />
    </div>
  );
}
