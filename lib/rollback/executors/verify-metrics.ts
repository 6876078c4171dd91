// Verify-metrics step: after the rollback, are the service's error rate and p99 latency back
// under their limits (and, with withinBaselineTolerance, back near the pre-release baseline)?
// Each metric is judged by the MEDIAN of its samples over the last windowSeconds: one spike does
// not fail the step and one good sample does not pass it. No data is a failure, never a pass.
import { formatMetricValue, formatNumber } from "@/lib/metrics/format";
import { median } from "@/lib/metrics/statistics";
import type { MetricKind, Series } from "@/lib/metrics/types";
import { AbortedError, abortable, abortedResult, errorText, orderedLogger, parseConfig } from "./shared";
import { type Executor, NotConfiguredError, type StepResult } from "./types";

export { type VerifyMetricsConfig, verifyMetricsConfigSchema } from "./configs";

type Judged = { metric: MetricKind; value: number | null; samples: number; limit: number; ok: boolean };

export const verifyMetricsExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("VERIFY_METRICS", config);
  if (!ctx.metrics)
    throw new NotConfiguredError("verify-metrics step needs the service's metrics provider (it runs only within an incident's rollback)");
  const { provider, baseline } = ctx.metrics;
  const log = orderedLogger(ctx);
  const to = new Date();
  const from = new Date(to.getTime() - c.windowSeconds * 1000);
  const stepSeconds = Math.max(1, Math.round(c.windowSeconds / 12));
  log("INFO", `querying ${provider.label} for the last ${c.windowSeconds} s`);

  let series: Series[];
  try {
    series = await abortable(provider.queryRange({ metrics: ["ERROR_RATE", "LATENCY_P99"], from, to, stepSeconds }), ctx.signal);
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

  const points = (metric: MetricKind) =>
    (series.find((s) => s.metric === metric)?.points ?? []).filter(
      (p) => p.t >= from.getTime() - stepSeconds * 1000 && Number.isFinite(p.v),
    );
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
    failures.push(`no metric data in the last ${c.windowSeconds} s`);
  } else {
    if (errorRate.value === null) failures.push(`no error-rate data in the last ${c.windowSeconds} s`);
    else
      verdict(
        errorRate.ok,
        `error rate ${formatMetricValue("ERROR_RATE", errorRate.value)} ${errorRate.ok ? "≤" : ">"} ${formatMetricValue("ERROR_RATE", c.maxErrorRate)}`,
      );
    if (p99.value === null) failures.push(`no p99 latency data in the last ${c.windowSeconds} s`);
    else
      verdict(
        p99.ok,
        `p99 ${formatMetricValue("LATENCY_P99", p99.value)} ${p99.ok ? "≤" : ">"} ${formatMetricValue("LATENCY_P99", c.maxP99Ms)}`,
      );
  }

  let baselineCheck: Record<string, unknown> | undefined;
  if (c.withinBaselineTolerance !== undefined) {
    const base = baseline.LATENCY_P99;
    if (base === undefined || base === null || !Number.isFinite(base)) {
      failures.push("no baseline p99 to compare with (withinBaselineTolerance is set)");
      baselineCheck = { baselineP99: null, tolerance: c.withinBaselineTolerance };
    } else {
      const limit = base * (1 + c.withinBaselineTolerance);
      const ok = p99.value !== null && p99.value <= limit;
      baselineCheck = { baselineP99: base, tolerance: c.withinBaselineTolerance, limit, ok };
      if (p99.value !== null) {
        verdict(
          ok,
          `p99 ${formatMetricValue("LATENCY_P99", p99.value)} ${ok ? "within" : "more than"} ${formatNumber(c.withinBaselineTolerance * 100, 1)}% above the baseline ${formatMetricValue("LATENCY_P99", base)}`,
        );
      }
    }
  }

  for (const line of [...failures, ...notes]) log("INFO", line);
  await log.flush();
  const output: Record<string, unknown> = {
    provider: provider.label,
    windowSeconds: c.windowSeconds,
    statistic: "median",
    errorRate: { value: errorRate.value, samples: errorRate.samples, max: c.maxErrorRate },
    p99Ms: { value: p99.value, samples: p99.samples, max: c.maxP99Ms },
    ...(baselineCheck ? { baseline: baselineCheck } : {}),
    failures,
  };
  if (failures.length > 0) return { ok: false, summary: failures.join("; "), output };
  return { ok: true, summary: notes.join(", "), output };
};
