// Types of aggregate.mjs.

/** A measured request: completion time (epoch ms), latency (ms), HTTP status (0 = no response). */
export type RequestRecord = { endMs: number; latencyMs: number; status: number };
export type Sample = { metric: string; ts: string; value: number };
export type WindowSummary = {
  count: number;
  errors: number;
  error_rate: number | null;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_p99: number | null;
  throughput: number;
  availability: number | null;
};

export const METRICS: readonly ["error_rate", "latency_p50", "latency_p95", "latency_p99", "throughput", "availability"];
export function isFailure(status: number): boolean;
export function percentile(sorted: ArrayLike<number>, p: number): number;
export function aggregate(records: readonly RequestRecord[], windowSeconds: number): WindowSummary;
export function summarise(latencies: Float64Array, errors: number, windowSeconds: number): WindowSummary;
export function toSamples(ts: Date | number, summary: Omit<WindowSummary, "count" | "errors">): Sample[];
export function alignDown(ms: number, windowMs: number): number;
