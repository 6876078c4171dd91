// The metric kinds, series and the provider interface. What the metrics are called and how their
// values read: format.ts.
import type { MetricKind } from "@/generated/prisma/enums";
import { UserFacingError } from "@/lib/errors";

export type { MetricKind };

export const METRIC_KINDS = [
  "ERROR_RATE",
  "LATENCY_P50",
  "LATENCY_P95",
  "LATENCY_P99",
  "THROUGHPUT",
  "AVAILABILITY",
] as const satisfies readonly MetricKind[];

/** A point of a series: t is epoch milliseconds, v the value in the metric's unit. */
export type Point = { t: number; v: number };

export type Series = { metric: MetricKind; points: Point[] };

export type RangeQuery = {
  metrics: readonly MetricKind[];
  from: Date;
  to: Date;
  /** Resolution wanted; providers may coarsen it (Prometheus: at most 11,000 points a series). */
  stepSeconds: number;
  /**
   * Charts only: the built-in store may answer from its per-minute, 5-minute or hour rollup (stepSeconds is
   * then a whole number of those buckets). Verdicts never set it and always read raw samples. Prometheus ignores it.
   */
  rollup?: "minute" | "fiveMinutes" | "hour";
};

export interface MetricsProvider {
  /** Names the source in messages: "Prometheus at http://prom:9090", "the built-in store". */
  readonly label: string;
  queryRange(query: RangeQuery): Promise<Series[]>;
}

/** The provider could not answer (down, timed out, bad query): say so, never show empty charts. */
export class MetricsUnavailableError extends UserFacingError {}

/** The query ran but matched no series in that window: the window is empty, not the source down. */
export class MetricsNoDataError extends MetricsUnavailableError {}
