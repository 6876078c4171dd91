// The re-deployment plan for the rolled-back version: what was fixed, the validation added, how it
// was tested on staging, the target date and the strategy, and the readiness list — "ready" only
// when every HIGH action item of the incident is DONE (the action items' rule, readinessOf). The
// readiness is read when the plan is written; the pages show it as it is now. Pure.
import { factsTable, heading, markdownDocument, paragraph, renderMarkdown, strong, taskList } from "@/lib/documents/markdown";
import { formatUtc } from "@/lib/time/format";

export const PLAN_SCHEMA_VERSION = 1;

export const REDEPLOY_STRATEGIES = {
  CANARY: "Canary (a small share of traffic first, widened while the metrics hold)",
  BLUE_GREEN: "Blue-green (switch all traffic, the old version kept warm to switch back)",
  ROLLING: "Rolling (instances replaced a few at a time)",
  FEATURE_FLAG: "Behind a feature flag (deployed dark, turned on gradually)",
} as const;
export type RedeployStrategy = keyof typeof REDEPLOY_STRATEGIES;

/** What a person writes. */
export type PlanInput = {
  fixedVersion: string;
  fix: string;
  validation: string;
  stagingTest: string;
  targetDate: string;
  strategy: RedeployStrategy;
};

export type PlanReadiness = {
  ready: boolean;
  highTotal: number;
  highDone: number;
  /** Every HIGH item, done or not, for the list. */
  items: { title: string; owner: string | null; status: string; dueDate: string | null }[];
};

export type PlanContent = PlanInput & {
  schema: typeof PLAN_SCHEMA_VERSION;
  writtenAt: string;
  incident: { number: number; title: string; service: string; badVersion: string; previousVersion: string };
  readiness: PlanReadiness;
};

type ReadinessCounts = Pick<PlanReadiness, "ready" | "highTotal" | "highDone">;

/** Why it is (not) ready: "all 2 HIGH action items are done." */
export const readinessReason = (r: ReadinessCounts) =>
  r.ready
    ? r.highTotal === 0
      ? "no HIGH action item is linked to the incident."
      : `all ${r.highTotal} HIGH action items are done.`
    : `${r.highTotal - r.highDone} of ${r.highTotal} HIGH action items still open.`;

export const readinessWords = (r: ReadinessCounts) => `${r.ready ? "Ready" : "Not ready"}: ${readinessReason(r)}`;

export const planTitle = (c: { incident: { number: number; badVersion: string } }) =>
  `Re-deployment plan — INC-${c.incident.number} (${c.incident.badVersion})`;

export function renderPlanMarkdown(c: PlanContent): string {
  return renderMarkdown(
    markdownDocument([
      heading(1, planTitle(c)),
      paragraph(c.incident.title),
      factsTable([
        ["Service", c.incident.service],
        ["Rolled back", `${c.incident.badVersion} → ${c.incident.previousVersion}`],
        ["Re-deploy", c.fixedVersion],
        ["Target date", c.targetDate],
        ["Strategy", REDEPLOY_STRATEGIES[c.strategy]],
        ["Readiness", readinessWords(c.readiness)],
      ]),
      heading(2, "The fix"),
      paragraph(c.fix),
      heading(2, "Validation added"),
      paragraph(c.validation),
      heading(2, "Staging test"),
      paragraph(c.stagingTest),
      heading(2, "Readiness"),
      paragraph([
        strong(c.readiness.ready ? "Ready" : "Not ready"),
        ` — ${readinessWords(c.readiness)} (as of ${formatUtc(c.writtenAt, "minute")})`,
      ]),
      c.readiness.items.length > 0 &&
        taskList(
          c.readiness.items.map((i) => ({
            checked: i.status === "DONE",
            content: `HIGH: ${i.title} — ${i.owner ?? "no owner"}${i.dueDate ? `, due ${i.dueDate.slice(0, 10)}` : ""}`,
          })),
        ),
    ]),
  );
}
