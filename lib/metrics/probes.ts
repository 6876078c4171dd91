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

export function probeFeatures(targets: ProbeTarget[]): Promise<ProbeResult[]> {
  return Promise.all(targets.map(probeFeature));
}
