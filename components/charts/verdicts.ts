// How a metric's verdict against its baseline is shown. Not a client module, so server components
// (the decision's frozen evidence, the rollback summary) use the same words and colours as the charts.
import type { Tone } from "@/components/ui/badge";
import type { Verdict } from "@/lib/metrics/statistics";

export const VERDICT_LABEL: Record<Verdict, string> = {
  worse: "Worse",
  better: "Better",
  "no-significant-change": "No significant change",
  "no-data": "No data",
};
export const VERDICT_TONE: Record<Verdict, Tone> = { worse: "danger", better: "ok", "no-significant-change": "neutral", "no-data": "warn" };

/** A verdict stored as text (a document's content): its label and tone, or the text itself when unknown. */
export function verdictDisplay(verdict: string): { label: string; tone: Tone } {
  return verdict in VERDICT_LABEL
    ? { label: VERDICT_LABEL[verdict as Verdict], tone: VERDICT_TONE[verdict as Verdict] }
    : { label: verdict.replaceAll("-", " "), tone: "neutral" };
}
