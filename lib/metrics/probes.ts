// Critical features judged by real HTTP probes: Working (expected status, fast enough),
// Degraded (expected status but slower than the feature's limit), Failed (anything else).
import "server-only";

export type FeatureStatus = "WORKING" | "DEGRADED" | "FAILED" | "UNKNOWN";

export type ProbeTarget = {
  id: string;
  name: string;
  probeUrl: string | null;
  probeMethod: string;
  expectedStatus: number;
  timeoutMs: number;
  degradedLatencyMs: number;
};

export type ProbeResult = { id: string; name: string; status: FeatureStatus; detail: string; latencyMs: number | null; checkedAt: number };

export async function probeFeature(target: ProbeTarget): Promise<ProbeResult> {
  const checkedAt = Date.now();
  const base = { id: target.id, name: target.name, checkedAt };
  if (!target.probeUrl) return { ...base, status: "UNKNOWN", detail: "no probe configured", latencyMs: null };
  const started = performance.now();
  try {
    const res = await fetch(target.probeUrl, {
      method: target.probeMethod,
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: "manual",
      cache: "no-store",
    });
    await res.arrayBuffer().catch(() => undefined);
    const latencyMs = Math.round(performance.now() - started);
    if (res.status !== target.expectedStatus) {
      return { ...base, status: "FAILED", detail: `answered ${res.status}, expected ${target.expectedStatus}`, latencyMs };
    }
    if (latencyMs > target.degradedLatencyMs) {
      return {
        ...base,
        status: "DEGRADED",
        detail: `answered ${res.status} in ${latencyMs} ms (limit ${target.degradedLatencyMs} ms)`,
        latencyMs,
      };
    }
    return { ...base, status: "WORKING", detail: `answered ${res.status} in ${latencyMs} ms`, latencyMs };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    return {
      ...base,
      status: "FAILED",
      detail: timedOut ? `no answer within ${target.timeoutMs} ms` : `could not connect (${e instanceof Error ? e.message : "error"})`,
      latencyMs: null,
    };
  }
}

type Entry = { startedAt: number; result: Promise<ProbeResult>; settled: boolean };

/**
 * The latest probe of each target in this process, finished or in flight (`latest`), and the last
 * finished one, kept while a newer one is in flight (`finished`). The incident page, its 5 s evidence
 * poll, every other viewer's poll and a proposal made a moment later would otherwise each send the
 * same HTTP probes — to a service that is failing, so each probe may take its whole timeout. Only a
 * cache: another instance simply probes for itself. On globalThis: Next.js bundles the incident page
 * and the evidence route separately, each with its own copy of this module, and the page must find
 * the probes the route's poll started.
 */
const globalForProbes = globalThis as unknown as { backoutProbes?: { latest: Map<string, Entry>; finished: Map<string, ProbeResult> } };
globalForProbes.backoutProbes ??= { latest: new Map(), finished: new Map() };
const { latest, finished } = globalForProbes.backoutProbes;
const FORGET_AFTER_MS = 60_000;

function targetKey(t: ProbeTarget): string {
  return JSON.stringify([t.id, t.probeUrl, t.probeMethod, t.expectedStatus, t.timeoutMs, t.degradedLatencyMs]);
}

function start(key: string, target: ProbeTarget, at: number): Promise<ProbeResult> {
  const entry: Entry = {
    startedAt: at,
    result: probeFeature(target), // never rejects: a failure is a FAILED result
    settled: false,
  };
  void entry.result.then((r) => {
    entry.settled = true;
    const previous = finished.get(key);
    if (!previous || previous.checkedAt <= r.checkedAt) finished.set(key, r);
  });
  latest.set(key, entry);
  return entry.result;
}

/**
 * Probes every target, or reuses a probe of the same target started at most `reuseWithinMs` ago
 * (its `checkedAt` says when). 0, the default, always probes anew.
 *
 * `staleWithinMs` (stale-while-revalidate): when no probe finished within `reuseWithinMs` but one
 * finished at most this long ago, that one is answered at once — a probe in flight is not waited
 * for — and a new probe starts behind it for the next caller if none is in flight. The incident
 * page's evidence does this, so opening an incident never waits for a probe of a failing service,
 * while the page's 5 s poll keeps what it shows a poll old.
 */
export function probeFeatures(
  targets: ProbeTarget[],
  { reuseWithinMs = 0, staleWithinMs = 0 }: { reuseWithinMs?: number; staleWithinMs?: number } = {},
): Promise<ProbeResult[]> {
  const at = Date.now();
  for (const [key, entry] of latest) {
    if (at - entry.startedAt > FORGET_AFTER_MS && entry.settled) {
      latest.delete(key);
      finished.delete(key);
    }
  }
  return Promise.all(
    targets.map((target) => {
      const key = targetKey(target);
      const recent = latest.get(key);
      const last = finished.get(key);
      const staleOk = last !== undefined && at - last.checkedAt <= staleWithinMs;
      if (recent && at - recent.startedAt <= reuseWithinMs && (recent.settled || !staleOk)) return recent.result;
      if (staleOk) {
        if (!recent || recent.settled) void start(key, target, at);
        return Promise.resolve(last);
      }
      return start(key, target, at);
    }),
  );
}
