// Types of backfill.mjs: SYNTHETIC demo history (see the top of backfill.mjs).
import type { Sample } from "./lib/aggregate.mjs";

export type { Sample };

export type HistoryOptions = {
  /** Windows ending at or before this use blue v2.4.0, later ones green v2.5.0. */
  deployedAt: Date | number | string;
  /** Default: now. Samples cover (now - 7 days, now]. */
  now?: Date | number | string;
  /** Only samples after this (a restart fills the gap since the last stored sample); default: all 7 days. */
  after?: Date | number | string;
  /** Default 15. */
  stepSeconds?: number;
  /** For reproducible output; default random. */
  seed?: number;
  /** Live load the traffic curve is scaled to at `now` (default 20 req/s). */
  rps?: number;
};

export const HISTORY_MS: number;

/** Relative traffic at `ms` (about 0.5-1.4): a daily curve and quieter weekends. */
export function trafficShape(ms: number): number;

/** The synthetic samples in time order, 6 metrics per aligned timestamp. */
export function historySamples(options: HistoryOptions): Generator<Sample>;

/** Groups samples into batches of at most `size` (default 5000). */
export function batches(samples: Iterable<Sample>, size?: number): Generator<Sample[]>;

/** Pushes 7 days of synthetic history to POST {backoutUrl}/api/v1/metrics, `concurrency` (4) batches of `batchSize` (5000) at a time. */
export function backfillHistory(
  options: Omit<HistoryOptions, "rps"> & { backoutUrl: string; token?: string; batchSize?: number; concurrency?: number },
): Promise<{ samples: number; batches: number; ms: number }>;
