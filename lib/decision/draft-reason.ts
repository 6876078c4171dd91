// The proposal's reason, drafted from the evidence the proposer is looking at: the metrics that are
// worse than their baseline and the framework criteria that are met. Pure and deterministic (the
// same evidence drafts the same words); the proposer edits it before proposing.

import { formatChange, formatMetricValue } from "@/lib/metrics/format";
import type { MetricAssessment } from "@/lib/metrics/incident-metrics";
import type { DecisionEvaluation } from "./criteria";

type Evidence = {
  metrics: Pick<MetricAssessment, "metric" | "label" | "verdict" | "baseline" | "current" | "change">[];
  evaluation: Pick<DecisionEvaluation, "recommendedTier" | "metCriteria"> | null;
};

export function draftReason(evidence: Evidence | null, versions: { bad: string; previous: string }): string {
  if (!evidence) return "";
  const worse = evidence.metrics
    .filter((m) => m.verdict === "worse")
    .map(
      (m) =>
        `${m.label} ${formatMetricValue(m.metric, m.current)} against ${formatMetricValue(m.metric, m.baseline)} before the deploy (${formatChange(m.change)})`,
    );
  const met = evidence.evaluation?.metCriteria.filter((c) => c.met) ?? [];
  const parts: string[] = [];
  if (worse.length > 0) parts.push(`Since ${versions.bad}: ${worse.join("; ")}.`);
  if (met.length > 0 && evidence.evaluation)
    parts.push(
      `The framework recommends ${evidence.evaluation.recommendedTier}: ${met.map((c) => `${c.label} (${c.detail})`).join("; ")}.`,
    );
  if (parts.length === 0) return "";
  parts.push(`Roll back to ${versions.previous}.`);
  return parts.join(" ");
}
