// Running the readiness checks of a service, derived from its runbooks: nothing to configure
// beyond the runbooks themselves. Every check is read-only — a GET or a health probe, a file's
// size, age and first bytes, the runbook's own validation, the NAMES of the server variables it
// needs — and bounded in time: the whole set is cut off at READINESS_DEADLINE_MS and a check that
// did not finish says so. HTTP goes through the rollback executors (same redirect, timeout,
// environment and redaction rules as the steps themselves).
import "server-only";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { getDb } from "@/lib/db";
import {
  configEnvRefs,
  featureEnvironmentUrl,
  flagDisableConfigSchema,
  healthCheckConfigSchema,
  httpConfigSchema,
  postgresConfigSchema,
} from "@/lib/rollback/executors/configs";
import { stepRedactor } from "@/lib/rollback/executors/environment";
import { healthCheckExecutor } from "@/lib/rollback/executors/health-check";
import { httpExecutor } from "@/lib/rollback/executors/http";
import { errorText } from "@/lib/rollback/executors/shared";
import type { StepResult } from "@/lib/rollback/executors/types";
import { type PlanStep, parsePlan } from "@/lib/rollback/plans";
import { checkRunbook, describeIssue } from "@/lib/runbooks/rules";
import { findLatestBackup } from "./backup-header";
import { formatAge, formatBytes } from "./format";
import { KIND_ORDER, type ReadinessCheck, type ReadinessKind } from "./types";

/** The whole set of checks of a service ends within this (the proposal waits for it). */
export const READINESS_DEADLINE_MS = 8000;
/** Health probes per URL: a snapshot, not a retry loop. */
export const PROBE_ROUNDS = 3;
const PROBE_TIMEOUT_MS = 2000;
const PROBE_GAP_MS = 250;

type RunbookInput = { id: string; name: string; strategy: RollbackStrategy; steps: unknown };
type Context = { env: Record<string, string | undefined>; signal: AbortSignal; targetVersion: string | null; now: () => Date };

type Outcome = Pick<ReadinessCheck, "result" | "summary"> & { numbers?: ReadinessCheck["numbers"] };

const noLog = () => {};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "blue" from "Verify blue (v2.4.0) is healthy", when the step's name says which environment. */
function environmentWord(step: PlanStep): string | null {
  return /\b(blue|green)\b/i.exec(step.name)?.[1]?.toLowerCase() ?? null;
}

// ───────────────────────────── the checks ─────────────────────────────

/** The health-check step of a blue-green runbook that verifies the target, probed PROBE_ROUNDS times. */
async function targetHealth(step: PlanStep, ctx: Context): Promise<Outcome> {
  const parsed = healthCheckConfigSchema.safeParse(step.config);
  const who = ctx.targetVersion ?? "the rollback target";
  if (!parsed.success) return { result: "not_configured", summary: `the step “${step.name}” has no URLs to probe yet` };
  const config = { ...parsed.data, retries: 0, timeoutMs: Math.min(parsed.data.timeoutMs, PROBE_TIMEOUT_MS) };
  const urls = config.urls.length;
  let healthy = 0;
  let answered = 0;
  let lastProblem = "";
  for (let round = 0; round < PROBE_ROUNDS && !ctx.signal.aborted; round++) {
    if (round > 0) await new Promise((r) => setTimeout(r, PROBE_GAP_MS));
    const result: StepResult = await healthCheckExecutor(config, {
      signal: ctx.signal,
      log: noLog,
      env: ctx.env,
      workDir: "",
      previous: {},
    });
    const rows = (result.output?.results ?? []) as { ok: boolean; status: number | null; detail: string }[];
    healthy += rows.filter((r) => r.ok).length;
    answered += rows.filter((r) => r.status !== null).length;
    const bad = rows.find((r) => !r.ok);
    if (bad) lastProblem = bad.detail;
  }
  const total = urls * PROBE_ROUNDS;
  const numbers = { healthyProbes: healthy, probes: total };
  if (healthy === total) return { result: "pass", summary: `${who} healthy, ${healthy}/${total} probes`, numbers };
  const state = answered === 0 ? "unreachable" : "unhealthy";
  return { result: "fail", summary: `${who} ${state}, ${healthy}/${total} probes: ${lastProblem || "not probed"}`, numbers };
}

/** The check-backup step of a restore runbook: the latest backup's existence, size and age, its header. */
async function latestBackup(step: PlanStep, ctx: Context): Promise<Outcome> {
  const parsed = postgresConfigSchema.safeParse(step.config);
  if (!parsed.success || !parsed.data.backupPath) {
    return { result: "not_configured", summary: `the step “${step.name}” names no backup file (config.backupPath)` };
  }
  const maxHours = parsed.data.maxBackupAgeHours;
  const found = await findLatestBackup(parsed.data.backupPath);
  if (typeof found === "string") return { result: "fail", summary: found, numbers: { maxAgeHours: maxHours } };
  const ageMs = ctx.now().getTime() - found.modifiedAt.getTime();
  const numbers = { bytes: found.bytes, ageSeconds: Math.round(ageMs / 1000), maxAgeHours: maxHours, path: found.path };
  const facts = `${formatAge(ageMs)}, ${formatBytes(found.bytes)}, max ${maxHours} h`;
  if (found.bytes === 0) return { result: "fail", summary: `the backup ${found.path} is empty`, numbers };
  if (!found.header) return { result: "fail", summary: `${found.path} is not a pg_dump archive (no PGDMP header); ${facts}`, numbers };
  if (ageMs > maxHours * 3_600_000) return { result: "fail", summary: `too old: ${facts}`, numbers };
  const of = found.header.database ? ` of ${found.header.database}` : "";
  return { result: "pass", summary: `${facts} (pg_dump ${found.header.format} archive${of})`, numbers };
}

/** Any status up to 499 but the credential ones: the service is up and takes our credentials. */
const ANSWERS = Array.from({ length: 400 }, (_, i) => 100 + i).filter((s) => ![401, 403, 407].includes(s));

/**
 * The read-only request that shows the flag service answers, or null when the step is not configured.
 * A flag-disable step: Unleash's GET of the flag in its environment with the step's token, which must
 * answer 200 (the flag exists there and the token is accepted). An HTTP step: a GET to its URL.
 */
function flagServiceProbe(step: PlanStep) {
  if (step.executor === "FLAG_DISABLE") {
    const parsed = flagDisableConfigSchema.safeParse(step.config);
    if (!parsed.success) return null;
    return {
      method: "GET",
      url: featureEnvironmentUrl(parsed.data),
      headers: { accept: "application/json" },
      secretHeaders: { Authorization: parsed.data.tokenEnv },
      expectedStatus: [200],
      timeoutMs: Math.min(parsed.data.timeoutMs, PROBE_TIMEOUT_MS * 2),
    };
  }
  const parsed = httpConfigSchema.safeParse(step.config);
  if (!parsed.success) return null;
  return {
    method: "GET",
    url: parsed.data.url,
    headers: Object.fromEntries(Object.entries(parsed.data.headers).filter(([k]) => k.toLowerCase() !== "content-type")),
    secretHeaders: parsed.data.secretHeaders,
    expectedStatus: ANSWERS,
    timeoutMs: Math.min(parsed.data.timeoutMs, PROBE_TIMEOUT_MS * 2),
  };
}

/** The flag service of a feature-flag runbook answers: the read of flagServiceProbe, never the step's own call. */
async function flagService(step: PlanStep, ctx: Context): Promise<Outcome> {
  const config = flagServiceProbe(step);
  if (!config) return { result: "not_configured", summary: `the step “${step.name}” has no flag-service URL yet` };
  const host = new URL(config.url).host;
  const result = await httpExecutor(config, { signal: ctx.signal, log: noLog, env: ctx.env, workDir: "", previous: {} });
  const latency = typeof result.output?.latencyMs === "number" ? ` in ${result.output.latencyMs} ms` : "";
  const numbers: Record<string, number> = result.httpStatus ? { status: result.httpStatus } : {};
  if (result.ok) return { result: "pass", summary: `${host} answered ${result.httpStatus}${latency}`, numbers };
  return { result: "fail", summary: `${host}: ${result.summary}`, numbers };
}

function secrets(steps: PlanStep[], ctx: Context): Outcome & { stepKeys: string[] } {
  const needed = new Map<string, string[]>();
  for (const s of steps)
    for (const ref of configEnvRefs(s.executor, s.config)) needed.set(ref.name, [...(needed.get(ref.name) ?? []), s.key]);
  const missing = [...needed.keys()].filter((name) => !ctx.env[name]);
  const numbers = { needed: needed.size, missing: missing.length };
  if (needed.size === 0) return { result: "pass", summary: "needs no secrets", numbers, stepKeys: [] };
  if (missing.length > 0) {
    return {
      result: "fail",
      summary: `not set on the server: ${missing.join(", ")} (${needed.size - missing.length}/${needed.size} set)`,
      numbers,
      stepKeys: missing.flatMap((m) => needed.get(m) ?? []),
    };
  }
  return {
    result: "pass",
    summary: `${needed.size}/${needed.size} set on the server: ${[...needed.keys()].join(", ")}`,
    numbers,
    stepKeys: [],
  };
}

function validates(runbook: RunbookInput, ctx: Context): Outcome & { stepKeys: string[] } {
  const check = checkRunbook(runbook.strategy, runbook.steps, ctx.env);
  const raw = Array.isArray(runbook.steps) ? runbook.steps : [];
  const errors = check.issues.filter((i) => i.severity === "error");
  const warnings = check.issues.length - errors.length;
  const numbers = { errors: errors.length, warnings };
  if (errors.length > 0) {
    const keys = errors.flatMap((i) => {
      const m = /^steps\.(\d+)/.exec(i.path);
      const key = m ? (raw[Number(m[1])] as { key?: unknown } | undefined)?.key : undefined;
      return typeof key === "string" ? [key] : [];
    });
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    return { result: "fail", summary: `${describeIssue(errors[0], raw)}${more}`, numbers, stepKeys: keys };
  }
  return { result: "pass", summary: warnings ? `valid, ${warnings} warning${warnings === 1 ? "" : "s"}` : "valid", numbers, stepKeys: [] };
}

// ───────────────────────────── per runbook ─────────────────────────────

type Planned = { kind: ReadinessKind; label: string; stepKeys: string[]; run: () => Promise<Outcome & { stepKeys?: string[] }> };

/** The step playing a strategy role: by its ID, else the first step of the right kind. */
function roleStep(steps: PlanStep[], key: string, fallback: (s: PlanStep) => boolean): PlanStep | undefined {
  return steps.find((s) => s.key === key) ?? steps.find(fallback);
}

function plannedChecks(runbook: RunbookInput, ctx: Context): Planned[] {
  let steps: PlanStep[];
  try {
    steps = parsePlan(runbook.steps);
  } catch {
    return [
      {
        kind: "runbook",
        label: "Runbook validates",
        stepKeys: [],
        run: async () => validates(runbook, ctx),
      },
    ];
  }
  const planned: Planned[] = [];
  if (runbook.strategy === "BLUE_GREEN") {
    const switchAt = steps.findIndex((s) => s.changesTraffic);
    const step = roleStep(steps, "verify-target-health", (s) => s.executor === "HEALTH_CHECK" && steps.indexOf(s) < switchAt);
    const env = step ? environmentWord(step) : null;
    const label = `${env ? capitalise(env) : "Rollback target"}${ctx.targetVersion ? ` ${ctx.targetVersion}` : ""} health`;
    planned.push({
      kind: "target-health",
      label,
      stepKeys: step ? [step.key] : [],
      run: async () =>
        step?.executor === "HEALTH_CHECK"
          ? targetHealth(step, ctx)
          : { result: "not_configured", summary: "the runbook has no health-check step for the rollback target (verify-target-health)" },
    });
  }
  if (runbook.strategy === "DATABASE_RESTORE") {
    const step = roleStep(steps, "verify-backup", (s) => s.executor === "POSTGRES" && s.config.operation === "check-backup");
    planned.push({
      kind: "backup",
      label: "Latest backup",
      stepKeys: step ? [step.key] : [],
      run: async () =>
        step ? latestBackup(step, ctx) : { result: "not_configured", summary: "the runbook has no check-backup step (verify-backup)" },
    });
  }
  if (runbook.strategy === "FEATURE_FLAG") {
    const step = roleStep(steps, "flags-off", (s) => s.executor === "FLAG_DISABLE" || s.executor === "HTTP");
    planned.push({
      kind: "flag-service",
      label: "Flag service answers",
      stepKeys: step ? [step.key] : [],
      run: async () =>
        step ? flagService(step, ctx) : { result: "not_configured", summary: "the runbook has no step turning the flags off (flags-off)" },
    });
  }
  planned.push({ kind: "secrets", label: "Secrets set", stepKeys: [], run: async () => secrets(steps, ctx) });
  planned.push({ kind: "runbook", label: "Runbook validates", stepKeys: [], run: async () => validates(runbook, ctx) });
  return planned;
}

/** Each check alone: its own time, and an error or the deadline becomes its result, never the set's. */
async function runOne(planned: Planned, runbook: RunbookInput | null, ctx: Context): Promise<ReadinessCheck> {
  const started = performance.now();
  const redact = runbook ? redactorFor(runbook, ctx.env) : (s: string) => s;
  let outcome: Outcome & { stepKeys?: string[] };
  try {
    outcome = await Promise.race([
      planned.run(),
      new Promise<Outcome>((resolve) =>
        ctx.signal.addEventListener(
          "abort",
          () => resolve({ result: "fail", summary: `no result within ${READINESS_DEADLINE_MS / 1000} s` }),
          { once: true },
        ),
      ),
    ]);
  } catch (e) {
    outcome = { result: "fail", summary: `could not check: ${errorText(e)}` };
  }
  return {
    id: `${runbook?.id ?? "service"}:${planned.kind}`,
    kind: planned.kind,
    runbookId: runbook?.id ?? null,
    runbookName: runbook?.name ?? null,
    strategy: runbook?.strategy ?? null,
    stepKeys: [...new Set([...planned.stepKeys, ...(outcome.stepKeys ?? [])])],
    label: planned.label,
    result: outcome.result,
    summary: redact(outcome.summary),
    numbers: outcome.numbers ?? {},
    checkedAt: ctx.now().toISOString(),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Whatever a runbook's steps could have come near is kept out of the stored words. */
function redactorFor(runbook: RunbookInput, env: Record<string, string | undefined>): (s: string) => string {
  const steps = Array.isArray(runbook.steps) ? (runbook.steps as PlanStep[]) : [];
  const redactors = steps.map((s) => stepRedactor(s.executor, s.config, env));
  return (s) => redactors.reduce((text, r) => r(text), s);
}

export type ReadinessInput = {
  runbooks: RunbookInput[];
  /** The version a rollback goes back to (the latest release's previous version), for the words. */
  targetVersion: string | null;
  env?: Record<string, string | undefined>;
  now?: () => Date;
  deadlineMs?: number;
};

/** Runs every check of these runbooks at once, within the deadline. */
export async function runReadinessChecks(input: ReadinessInput): Promise<ReadinessCheck[]> {
  const signal = AbortSignal.timeout(input.deadlineMs ?? READINESS_DEADLINE_MS);
  const ctx: Context = { env: input.env ?? process.env, signal, targetVersion: input.targetVersion, now: input.now ?? (() => new Date()) };
  if (input.runbooks.length === 0) {
    return [
      await runOne(
        {
          kind: "runbook",
          label: "Runbooks",
          stepKeys: [],
          run: async () => ({
            result: "not_configured",
            summary: "this service has no runbook: nothing to check (an admin adds one under Services)",
          }),
        },
        null,
        ctx,
      ),
    ];
  }
  const all = await Promise.all(
    input.runbooks.flatMap((runbook) => plannedChecks(runbook, ctx).map((planned) => runOne(planned, runbook, ctx))),
  );
  return all.sort(
    (a, b) => (a.runbookName ?? "").localeCompare(b.runbookName ?? "") || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
}

/** The service's active runbooks at their current versions, and the version a rollback returns to. */
export async function loadReadinessInput(serviceId: string): Promise<Pick<ReadinessInput, "runbooks" | "targetVersion">> {
  const db = getDb();
  const [runbooks, release] = await Promise.all([
    db.runbook.findMany({
      where: { serviceId, archivedAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true, strategy: true, currentVersion: true, versions: { select: { version: true, steps: true } } },
    }),
    db.release.findFirst({ where: { serviceId }, orderBy: { deployedAt: "desc" }, select: { previousVersion: true } }),
  ]);
  return {
    targetVersion: release?.previousVersion ?? null,
    runbooks: runbooks.flatMap((r) => {
      const current = r.versions.find((v) => v.version === r.currentVersion);
      return current ? [{ id: r.id, name: r.name, strategy: r.strategy, steps: current.steps }] : [];
    }),
  };
}
