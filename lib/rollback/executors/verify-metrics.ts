// Verify-metrics step: after the rollback, are the service's error rate and p99 latency back
// under their limits (and, with withinBaselineTolerance, not worse than before the release)?
// The window is the last windowSeconds, but never earlier than this run's traffic switch (or restore):
// samples from before the switch say nothing about the previous version, the same rule as the
// incident page's current window. Each metric is judged against its limit by the MEDIAN of its samples
// (one spike does not fail the step, one good sample does not pass it); against the baseline by the
// incident page's verdict (lib/metrics/verdict.ts) with the tolerance as its relative materiality.
// No data is a failure, never a pass.
import { formatDuration, formatMetricValue, formatNumber } from "@/lib/metrics/format";
import { median } from "@/lib/metrics/statistics";
import type { MetricKind, Series } from "@/lib/metrics/types";
import { type BaselineInput, judgeVerdict } from "@/lib/metrics/verdict";
import { loadVerdictInputs, queryTolerant } from "@/lib/metrics/verdict-windows";
import { AbortedError, abortable, abortedResult, errorText, orderedLogger, parseConfig } from "./shared";
import { type Executor, NotConfiguredError, type StepResult } from "./types";

export { type VerifyMetricsConfig, verifyMetricsConfigSchema } from "./configs";

type Judged = { metric: MetricKind; value: number | null; samples: number; limit: number; ok: boolean };

const METRICS: MetricKind[] = ["ERROR_RATE", "LATENCY_P99"];

export const verifyMetricsExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("VERIFY_METRICS", config);
  if (!ctx.metrics)
    throw new NotConfiguredError("verify-metrics step needs the service's metrics provider (it runs only within an incident's rollback)");
  const { provider, baselineWindow, switchedAt, materiality } = ctx.metrics;
  const log = orderedLogger(ctx);
  const to = Date.now();
  const last = to - c.windowSeconds * 1000;
  const sinceSwitch = switchedAt !== null && switchedAt > last && switchedAt <= to;
  const from = sinceSwitch ? switchedAt : last;
  const window = sinceSwitch
    ? `since the switch at ${new Date(from).toISOString()} (${formatDuration(to - from)})`
    : `in the last ${c.windowSeconds} s`;
  const stepSeconds = Math.max(1, Math.round((to - from) / 1000 / 12));
  log("INFO", `querying ${provider.label} for the samples ${window}`);

  const currentWindow = { from, to };
  type Loaded = { current: Series[]; p99Baselines: BaselineInput[] | null };
  let loaded: Loaded;
  try {
    // With a tolerance the baselines are queried too, by the same windows the incident page uses.
    const query: Promise<Loaded> =
      c.withinBaselineTolerance === undefined
        ? queryTolerant(provider, { metrics: METRICS, from: new Date(from), to: new Date(to), stepSeconds }).then((current) => ({
            current,
            p99Baselines: null,
          }))
        : loadVerdictInputs(provider, { metrics: METRICS, baselineWindow, currentWindow, stepSeconds }).then((inputs) => ({
            current: inputs.current,
            p99Baselines: inputs.baselines.LATENCY_P99,
          }));
    loaded = await abortable(query, ctx.signal);
  } catch (e) {
    if (e instanceof AbortedError || ctx.signal.aborted) {
      await log.flush();
      return abortedResult("while querying metrics");
    }
    const message = errorText(e);
    log("INFO", `metrics unavailable: ${message}`);
    await log.flush();
    return {
      ok: false,
      summary: `metrics unavailable from ${provider.label}: ${message}`,
      output: { provider: provider.label, error: message },
    };
  }

  // A provider may answer a point at the step before `from`; before a switch it belongs to the old version.
  const earliest = sinceSwitch ? from : from - stepSeconds * 1000;
  const points = (metric: MetricKind) =>
    (loaded.current.find((s) => s.metric === metric)?.points ?? []).filter((p) => p.t >= earliest && p.t <= to && Number.isFinite(p.v));
  const judge = (metric: MetricKind, limit: number): Judged => {
    const p = points(metric);
    const value = median(p.map((x) => x.v));
    return { metric, value, samples: p.length, limit, ok: value !== null && value <= limit };
  };
  const errorRate = judge("ERROR_RATE", c.maxErrorRate);
  const p99 = judge("LATENCY_P99", c.maxP99Ms);

  const failures: string[] = [];
  const notes: string[] = [];
  const verdict = (ok: boolean, text: string) => (ok ? notes : failures).push(text);
  if (errorRate.value === null && p99.value === null) {
    failures.push(`no metric data ${window}`);
  } else {
    if (errorRate.value === null) failures.push(`no error-rate data ${window}`);
    else
      verdict(
        errorRate.ok,
        `error rate ${formatMetricValue("ERROR_RATE", errorRate.value)} ${errorRate.ok ? "≤" : ">"} ${formatMetricValue("ERROR_RATE", c.maxErrorRate)}`,
      );
    if (p99.value === null) failures.push(`no p99 latency data ${window}`);
    else
      verdict(
        p99.ok,
        `p99 ${formatMetricValue("LATENCY_P99", p99.value)} ${p99.ok ? "≤" : ">"} ${formatMetricValue("LATENCY_P99", c.maxP99Ms)}`,
      );
  }

  let baselineCheck: Record<string, unknown> | undefined;
  if (c.withinBaselineTolerance !== undefined && loaded.p99Baselines !== null) {
    // "Worse" needs the change to be significant AND more than the tolerance (or the service's absolute part).
    const tolerance = `${formatNumber(c.withinBaselineTolerance * 100, 1)}%`;
    const v = judgeVerdict(
      "LATENCY_P99",
      loaded.p99Baselines,
      points("LATENCY_P99").map((p) => p.v),
      { materiality: { relative: c.withinBaselineTolerance, absolute: materiality.LATENCY_P99.absolute } },
    );
    const ok = v.verdict === "no-significant-change" || v.verdict === "better";
    baselineCheck = {
      tolerance: c.withinBaselineTolerance,
      verdict: v.verdict,
      reason: v.reason,
      baselinesUsed: v.comparisons.map((x) => x.baseline),
      baselineP99: v.baselineMedian,
      ok,
    };
    if (v.verdict === "no-data") failures.push(`p99 not compared with the baseline: ${v.reason}`);
    else
      verdict(
        ok,
        ok
          ? `p99 not more than ${tolerance} worse than the baseline (${v.reason})`
          : `p99 more than ${tolerance} worse than the baseline: ${v.reason}`,
      );
  }

  for (const line of [...failures, ...notes]) log("INFO", line);
  await log.flush();
  const output: Record<string, unknown> = {
    provider: provider.label,
    windowSeconds: c.windowSeconds,
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), sinceSwitch },
    statistic: "median",
    errorRate: { value: errorRate.value, samples: errorRate.samples, max: c.maxErrorRate },
    p99Ms: { value: p99.value, samples: p99.samples, max: c.maxP99Ms },
    ...(baselineCheck ? { baseline: baselineCheck } : {}),
    failures,
  };
  if (failures.length > 0) return { ok: false, summary: failures.join("; "), output };
  return { ok: true, summary: notes.join(", "), output };
};
