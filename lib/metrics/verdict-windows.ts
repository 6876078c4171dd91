// The samples a verdict is made from, for any caller that has a provider (the evidence, the checklist, the
// verify-metrics step): the window before the deploy, the current window, and the same clock windows a day
// and a week earlier (each also at the clock time of the pre-deploy window, for the time-of-day adjustment).
// One home for "which windows", so the incident page and the rollback's own check judge alike.
import { type MetricKind, MetricsNoDataError, type MetricsProvider, type RangeQuery, type Series } from "./types";
import { BASELINE_OFFSET_MS, type BaselineInput } from "./verdict";

export type Window = { from: number; to: number };

/** The pre-deploy baseline: the service's baselineWindowMinutes up to the deploy. */
export function preDeployWindow(service: { baselineWindowMinutes: number }, deployedAt: Date): Window {
  return { from: deployedAt.getTime() - service.baselineWindowMinutes * 60_000, to: deployedAt.getTime() };
}

/** The seasonal windows reach this far either side of the current window's clock time, so a 5-min window still has enough samples. */
const SEASONAL_PAD_MS = 10 * 60_000;

/**
 * The same clock windows a day and a week earlier (Prometheus gets the same data `offset 1d` would): empty
 * where the source holds no history that old, and then the verdict says it used only the pre-deploy baseline.
 */
export function seasonalWindows(baselineWindow: Window, currentWindow: Window) {
  return (["day-earlier", "week-earlier"] as const).map((name) => {
    const o = BASELINE_OFFSET_MS[name];
    return {
      name,
      values: { from: currentWindow.from - o - SEASONAL_PAD_MS, to: currentWindow.to - o + SEASONAL_PAD_MS },
      atPreDeploy: { from: baselineWindow.from - o, to: baselineWindow.to - o },
    };
  });
}

/**
 * A metric whose query matches nothing in a window (a new service, a baseline older than the
 * source's retention) is an empty series there, not a failure of the whole evidence.
 */
export async function queryTolerant(provider: MetricsProvider, query: RangeQuery): Promise<Series[]> {
  try {
    return await provider.queryRange(query);
  } catch (e) {
    if (!(e instanceof MetricsNoDataError)) throw e;
    return Promise.all(
      query.metrics.map((metric) =>
        provider.queryRange({ ...query, metrics: [metric] }).catch((err: unknown) => {
          if (err instanceof MetricsNoDataError) return [{ metric, points: [] }];
          throw err;
        }),
      ),
    ).then((parts) => parts.flat());
  }
}

export type VerdictInputs = {
  /** The current window's series, as the provider returned them. */
  current: Series[];
  /** Per metric, the baselines judgeVerdict takes: pre-deploy first, then the seasonal ones. */
  baselines: Record<MetricKind, BaselineInput[]>;
};

const valuesOf = (series: Series[], metric: MetricKind) => (series.find((s) => s.metric === metric)?.points ?? []).map((p) => p.v);

/** Queries every window a verdict needs, in parallel. A source that fails throws (MetricsUnavailableError), as its provider does. */
export async function loadVerdictInputs(
  provider: MetricsProvider,
  q: { metrics: readonly MetricKind[]; baselineWindow: Window; currentWindow: Window; stepSeconds: number },
): Promise<VerdictInputs> {
  const seasonal = seasonalWindows(q.baselineWindow, q.currentWindow);
  const window = (w: Window) =>
    queryTolerant(provider, { metrics: q.metrics, from: new Date(w.from), to: new Date(w.to), stepSeconds: q.stepSeconds });
  const [baseline, current, history] = await Promise.all([
    window(q.baselineWindow),
    window(q.currentWindow),
    Promise.all(seasonal.flatMap((s) => [window(s.values), window(s.atPreDeploy)])),
  ]);
  const baselines = Object.fromEntries(
    q.metrics.map((metric): [MetricKind, BaselineInput[]] => [
      metric,
      [
        { name: "pre-deploy", values: valuesOf(baseline, metric) },
        ...seasonal.map((s, i) => ({
          name: s.name,
          values: valuesOf(history[2 * i] ?? [], metric),
          atPreDeploy: valuesOf(history[2 * i + 1] ?? [], metric),
        })),
      ],
    ]),
  ) as Record<MetricKind, BaselineInput[]>;
  return { current, baselines };
}
