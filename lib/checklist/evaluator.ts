// Metric items tick themselves: the evaluator reads the service's metrics since the rollback ended
// (the median of the current window, never earlier than the rollback's end) against the
// pre-release baseline, and records the value and time that satisfied an item as an automatic
// change. It runs as the "checklist.evaluate" job (lib/jobs), once per interval per cluster, and
// once for one incident as the "checklist.first_evaluation" job its verification's start queues; the
// version check lets exactly one writer record a tick when two evaluations meet.
import "server-only";
import { z } from "zod";
import { now as clockNow } from "@/lib/clock";
import { type Db, getDb } from "@/lib/db";
import { defineChange } from "@/lib/incidents/change";
import { formatMetricValue } from "@/lib/metrics/format";
import { loadMetricWindows, serviceForMetricsSelect } from "@/lib/metrics/incident-metrics";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { recordItemChange } from "./history";
import { publishChecklistEvent } from "./live";
import { judgeMetricItem, type MetricJudgement, SETTLE_MS } from "./metric-rules";

export type ItemEvaluation = { itemId: string; label: string; judgement: MetricJudgement; recorded: boolean };
export type ChecklistEvaluation = { incidentId: string; skipped?: string; items: ItemEvaluation[] };

/**
 * Evaluates the open metric items of unlocked checklists (of one incident, or all) and records
 * those now satisfied. Items a person has set (ticked, failed, overridden) are left alone.
 */
export async function evaluateMetricItems(opts: { incidentId?: string; now?: Date; db?: Db } = {}): Promise<ChecklistEvaluation[]> {
  const db = opts.db ?? getDb();
  const now = opts.now ?? clockNow();
  const checklists = await db.checklist.findMany({
    where: {
      ...(opts.incidentId ? { incidentId: opts.incidentId } : {}),
      lockedAt: null,
      incident: { status: { not: "RESOLVED" } },
      items: { some: { kind: "METRIC", status: "PENDING" } },
    },
    select: {
      id: true,
      incidentId: true,
      rollbackEndedAt: true,
      incident: { select: { deployedAt: true, service: { select: serviceForMetricsSelect } } },
      items: {
        where: { kind: "METRIC", status: "PENDING", metric: { not: null } },
        select: { id: true, label: true, metric: true, tolerance: true, absoluteMax: true, version: true },
      },
    },
  });
  const results: ChecklistEvaluation[] = [];
  for (const c of checklists) {
    const since = now.getTime() - c.rollbackEndedAt.getTime();
    if (since < SETTLE_MS) {
      results.push({
        incidentId: c.incidentId,
        skipped: `the service gets ${SETTLE_MS / 1000} s after the rollback before its metrics count`,
        items: [],
      });
      continue;
    }
    const windows = await loadMetricWindows(c.incident.service, c.incident.deployedAt, now.getTime(), {
      currentFrom: c.rollbackEndedAt.getTime(),
    });
    if (windows.error) {
      results.push({ incidentId: c.incidentId, skipped: windows.error, items: [] });
      continue;
    }
    const evaluations: ItemEvaluation[] = [];
    for (const item of c.items) {
      const metric = item.metric!;
      const a = windows.assessments.find((x) => x.metric === metric);
      const judgement = judgeMetricItem(
        { metric, tolerance: item.tolerance, absoluteMax: item.absoluteMax },
        { baseline: a?.baseline ?? null, current: a?.current ?? null, currentCount: a?.currentCount ?? 0 },
      );
      const recorded = judgement.ok
        ? await autoSatisfyChange.runOrThrow(
            EVALUATOR,
            { incidentId: c.incidentId, itemId: item.id, version: item.version, ...judgement },
            { db, now },
          )
        : false;
      evaluations.push({ itemId: item.id, label: item.label, judgement, recorded });
    }
    results.push({ incidentId: c.incidentId, items: evaluations });
  }
  return results;
}

/** The evaluator acts as itself: its audit rows and timeline events name no person. */
const EVALUATOR = { system: "checklist evaluator" };

const autoSatisfySchema = z.object({
  incidentId: z.string().min(1),
  itemId: z.string().min(1),
  /** The item's version the judgement was made on. */
  version: z.number().int().positive(),
  value: z.number().nullable(),
  baseline: z.number().nullable(),
  limit: z.number().nullable(),
  reason: z.string(),
});

/**
 * Records a metric item as satisfied, by the system. Only an item still open at the version judged:
 * a person's change since then, or another instance's tick, wins, and this pass records nothing (a
 * no-op, not a refusal: nobody asked for it).
 */
export const autoSatisfyChange = defineChange({
  action: "checklist.item_auto_satisfied",
  schema: autoSatisfySchema,
  permission: "system",
  target: (input) => ({ entityType: "ChecklistItem", entityId: input.itemId, incidentId: input.incidentId }),
  async apply({ tx, input: j, now, audit }): Promise<boolean> {
    const [checklist] = await tx.$queryRaw<{ lockedAt: Date | null }[]>`
      SELECT c."lockedAt" FROM "Checklist" c JOIN "ChecklistItem" i ON i."checklistId" = c.id WHERE i.id = ${j.itemId} FOR SHARE OF c`;
    const { count } =
      !checklist || checklist.lockedAt
        ? { count: 0 }
        : await tx.checklistItem.updateMany({
            where: { id: j.itemId, version: j.version, status: "PENDING" },
            data: {
              status: "PASSED",
              autoSatisfied: true,
              isOverride: false,
              satisfiedValue: j.value,
              satisfiedBaseline: j.baseline,
              satisfiedAt: now,
              updatedById: null,
              updatedAt: now,
              version: { increment: 1 },
            },
          });
    if (count === 0) {
      audit.skip = true;
      return false;
    }
    const after = await recordItemChange(tx, j.itemId, { changedById: null, at: now, automatic: true, satisfiedValue: j.value });
    const value = after.metric && j.value !== null ? formatMetricValue(after.metric, j.value) : String(j.value);
    await recordTimelineEvent(tx, {
      incidentId: j.incidentId,
      kind: "CHECKLIST_ITEM_UPDATED",
      source: "METRICS",
      at: now,
      message: `"${after.label}" ticked itself: ${j.reason}`,
      payload: { itemId: j.itemId, key: after.key, value: j.value, baseline: j.baseline, limit: j.limit, version: after.version },
    });
    audit.details = { key: after.key, value, baseline: j.baseline, limit: j.limit, version: after.version };
    await publishChecklistEvent(tx, j.incidentId, { type: "item", item: after }, null);
    return true;
  },
});
