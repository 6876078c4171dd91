// Health-check step: probe each URL (in parallel), retrying a failing one; the step passes only
// when every URL answers its expected status (and, with degradedLatencyMs, fast enough: a slower
// answer counts as a failed attempt). `retries` is the number of tries after the first, so a URL
// gets retries + 1 attempts, intervalMs apart. Redirects are not followed.

import type { HealthCheckConfig } from "./configs";
import { AbortedError, abortedResult, displayUrl, errorText, type Logger, orderedLogger, parseConfig, pause } from "./shared";
import type { ExecutionContext, Executor, StepResult } from "./types";

export { type HealthCheckConfig, healthCheckConfigSchema } from "./configs";

type Target = { url: string; expectedStatus: number };
type UrlResult = { url: string; ok: boolean; attempts: number; status: number | null; latencyMs: number | null; detail: string };

async function attempt(target: Target, c: HealthCheckConfig, signal: AbortSignal): Promise<Omit<UrlResult, "url" | "attempts">> {
  const timeout = AbortSignal.timeout(c.timeoutMs);
  const started = performance.now();
  try {
    const res = await fetch(target.url, { redirect: "manual", cache: "no-store", signal: AbortSignal.any([signal, timeout]) });
    await res.arrayBuffer().catch(() => undefined);
    const latencyMs = Math.round(performance.now() - started);
    if (res.status !== target.expectedStatus) {
      return { ok: false, status: res.status, latencyMs, detail: `answered ${res.status}, expected ${target.expectedStatus}` };
    }
    if (c.degradedLatencyMs !== undefined && latencyMs > c.degradedLatencyMs) {
      return {
        ok: false,
        status: res.status,
        latencyMs,
        detail: `degraded: answered ${res.status} in ${latencyMs} ms (limit ${c.degradedLatencyMs} ms)`,
      };
    }
    return { ok: true, status: res.status, latencyMs, detail: `answered ${res.status} in ${latencyMs} ms` };
  } catch (e) {
    if (signal.aborted) throw new AbortedError("aborted");
    const detail = timeout.aborted ? `no answer within ${c.timeoutMs} ms` : `could not connect (${errorText(e)})`;
    return { ok: false, status: null, latencyMs: null, detail };
  }
}

async function probe(target: Target, c: HealthCheckConfig, ctx: ExecutionContext, log: Logger): Promise<UrlResult> {
  const shown = displayUrl(target.url);
  const attempts = c.retries + 1;
  let last: Omit<UrlResult, "url" | "attempts"> = { ok: false, status: null, latencyMs: null, detail: "not probed" };
  for (let i = 1; i <= attempts; i++) {
    last = await attempt(target, c, ctx.signal);
    log("INFO", `${shown} attempt ${i}/${attempts}: ${last.detail}`);
    if (last.ok) return { url: shown, attempts: i, ...last };
    if (i < attempts) await pause(c.intervalMs, ctx.signal);
  }
  return { url: shown, attempts, ...last };
}

export const healthCheckExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("HEALTH_CHECK", config);
  const targets: Target[] = c.urls.map((u) =>
    typeof u === "string"
      ? { url: u, expectedStatus: c.expectedStatus }
      : { url: u.url, expectedStatus: u.expectedStatus ?? c.expectedStatus },
  );
  const log = orderedLogger(ctx);
  log("INFO", `checking ${targets.length} URL${targets.length === 1 ? "" : "s"}, up to ${c.retries + 1} attempts each`);
  let results: UrlResult[];
  try {
    results = await Promise.all(targets.map((t) => probe(t, c, ctx, log)));
  } catch (e) {
    await log.flush();
    if (e instanceof AbortedError || ctx.signal.aborted) return abortedResult("during the health check");
    throw e;
  }
  await log.flush();
  const failed = results.filter((r) => !r.ok);
  const output = { results };
  if (failed.length > 0) {
    return {
      ok: false,
      summary: `${failed.length} of ${results.length} failed: ${failed.map((r) => `${r.url} ${r.detail}`).join("; ")}`,
      output,
    };
  }
  return { ok: true, summary: `${results.length} of ${results.length} healthy`, output };
};
