// What a runbook must be before it is saved. Pure: the server environment is passed in.
// - each step's settings pass its executor's own schema (configs.ts: the executor parses the same);
// - steps have a name and an ID, both unique; destructive and changes-traffic flags match what the
//   step does (a restore or a command that stops instances is destructive; a probe is not);
// - secrets only by the NAME of a server environment variable, never a value (a name that is
//   not set on this server is a warning: the step will say it is not configured until it is; a
//   command that prints one of its secret variables is a warning too);
// - a restore comes after the emergency backup of the same run it depends on;
// - blue-green, database-restore and feature-flag runbooks contain the steps of their strategy,
//   in its order (issue #5); a custom runbook is any ordered list.
// Errors refuse the save; warnings are shown and saved through.
import { z } from "zod";
import type { ExecutorKind, RollbackStrategy } from "@/generated/prisma/enums";
import {
  CONFIG_SCHEMAS,
  configEnvRefs,
  configIssues,
  DEFAULT_BACKUP_STEP,
  EXECUTOR_KINDS,
  EXECUTOR_LABELS,
  type PostgresOperation,
} from "@/lib/rollback/executors/configs";
import { type PlanStep, STRATEGY_TEMPLATES } from "@/lib/rollback/plans";
import type { RunbookIssue } from "./issues";
import { argvSecrets, bodySecret, isSecretName, printedSecrets, secretLookalike, stringLeaves, urlSecret } from "./secrets";

export { describeIssue, type IssueSeverity, type RunbookIssue } from "./issues";

export const MAX_STEPS = 50;
export const STEP_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const runbookStepSchema = z.object({
  key: z
    .string({ error: "Give the step an ID." })
    .trim()
    .min(1, "Give the step an ID (lowercase words joined by dashes, e.g. switch-traffic).")
    .max(60, "Keep the ID under 60 characters.")
    .regex(STEP_KEY, "Use lowercase letters and digits joined by dashes, e.g. switch-traffic."),
  name: z.string({ error: "Name the step." }).trim().min(1, "Name the step.").max(120, "Keep the name under 120 characters."),
  executor: z.enum(EXECUTOR_KINDS, { error: "Choose what the step runs." }),
  config: z.record(z.string(), z.unknown(), { error: "The step's settings are missing." }).default({}),
  destructive: z.boolean().default(false),
  changesTraffic: z.boolean().default(false),
  optional: z.boolean().default(false),
});

export const STRATEGY_WORDS: Record<RollbackStrategy, string> = {
  BLUE_GREEN: "blue-green",
  DATABASE_RESTORE: "database-restore",
  FEATURE_FLAG: "feature-flag",
  CUSTOM: "custom",
};

// ───────────────────────────── strategies ─────────────────────────────

/** A step a strategy requires, found by its ID: what it may run and how it must be flagged. */
export type StrategyRole = {
  key: string;
  name: string;
  executors: ExecutorKind[];
  /** false: recommended (a warning when missing), and responders may leave it out of a plan. */
  required: boolean;
  operation?: PostgresOperation;
  destructive: boolean;
  changesTraffic: boolean;
  report: boolean;
};

/** The strategy's steps in their order, derived from its template (plans.ts) so the two agree. */
export function strategyRoles(strategy: RollbackStrategy): StrategyRole[] {
  return STRATEGY_TEMPLATES[strategy].map((t) => ({
    key: t.key,
    name: t.name,
    // The calls to a router, a maintenance switch or an orchestrator: an HTTP API or a command.
    // Feature flags are turned off through their service's API: Unleash's by the flag executor,
    // any other flag system's by a plain HTTP request (issues #5, #14).
    executors:
      t.executor === "HTTP" || t.executor === "COMMAND"
        ? ["HTTP", "COMMAND"]
        : t.executor === "FLAG_DISABLE"
          ? ["FLAG_DISABLE", "HTTP"]
          : [t.executor],
    required: !t.optional,
    operation: t.executor === "POSTGRES" ? (t.config.operation as PostgresOperation) : undefined,
    destructive: t.destructive,
    changesTraffic: t.changesTraffic,
    report: t.config.report === true,
  }));
}

const orWords = (kinds: ExecutorKind[]) => kinds.map((k) => `${EXECUTOR_LABELS[k].toLowerCase()}`).join(" or ");

function checkStrategy(strategy: RollbackStrategy, steps: PlanStep[], add: (i: RunbookIssue) => void): void {
  const words = STRATEGY_WORDS[strategy];
  let previous: { role: StrategyRole; index: number } | undefined;
  for (const role of strategyRoles(strategy)) {
    const index = steps.findIndex((s) => s.key === role.key);
    if (index < 0) {
      const what = `“${role.name}” (ID ${role.key}, ${orWords(role.executors)}${role.operation ? ` ${role.operation}` : ""})`;
      add(
        role.required
          ? { path: "steps", severity: "error", message: `A ${words} runbook needs the step ${what}.` }
          : { path: "steps", severity: "warning", message: `The ${words} sequence includes ${what}; this runbook has none.` },
      );
      continue;
    }
    const step = steps[index];
    const at = (field: string) => `steps.${index}.${field}`;
    const as = `As “${role.name}” of a ${words} runbook,`;
    if (!role.executors.includes(step.executor)) {
      add({ path: at("executor"), severity: "error", message: `${as} this step must be a ${orWords(role.executors)} step.` });
    } else if (role.operation && step.config.operation !== role.operation) {
      add({ path: at("config.operation"), severity: "error", message: `${as} this step must run the ${role.operation} operation.` });
    }
    if (role.report && step.config.report !== true) {
      add({ path: at("config.report"), severity: "error", message: `${as} this step must append the run's report.` });
    }
    if (role.destructive && !step.destructive) {
      add({
        path: at("destructive"),
        severity: "error",
        message: `${as} this step is destructive: mark it so (it asks for the service name).`,
      });
    }
    if (role.changesTraffic && !step.changesTraffic) {
      add({ path: at("changesTraffic"), severity: "error", message: `${as} this step changes traffic: mark it so.` });
    }
    if (role.required && step.optional) {
      add({ path: at("optional"), severity: "error", message: `${as} this step is required: it cannot be optional.` });
    }
    if (previous && previous.index > index) {
      add({
        path: at("key"),
        severity: "error",
        message: `In a ${words} runbook “${previous.role.name}” comes before “${role.name}”: move this step after step ${previous.index + 1}.`,
      });
    }
    previous = { role, index };
  }
}

// ───────────────────────────── step rules ─────────────────────────────

const CHANGES_NOTHING: Partial<Record<ExecutorKind, string>> = {
  HEALTH_CHECK: "A health check only probes",
  WAIT: "A wait only pauses",
  VERIFY_METRICS: "A metrics check only reads",
  NOTIFY: "A notification only posts a message",
};

/** Why a step changes nothing (so it cannot be destructive nor change traffic), or undefined. */
function changesNothing(step: PlanStep): string | undefined {
  if (step.executor === "POSTGRES") {
    const op = step.config.operation;
    if (op === "check-backup") return "A backup check only reads the backup";
    if (op === "integrity") return "An integrity check only reads";
    if (op === "backup") return "A backup only reads the database";
    return undefined;
  }
  return CHANGES_NOTHING[step.executor];
}

const STOPPING = new Set([
  "stop",
  "kill",
  "pkill",
  "killall",
  "shutdown",
  "halt",
  "poweroff",
  "reboot",
  "terminate",
  "delete",
  "destroy",
  "drop",
  "dropdb",
  "rm",
  "rmi",
  "down",
  "uninstall",
]);

/** Why a step is destructive by what it does (it must then be marked so), or undefined. */
function destructiveBecause(step: PlanStep): string | undefined {
  const c = step.config;
  if (step.executor === "POSTGRES" && c.operation === "restore") return "a restore replaces the database's contents";
  if (step.executor === "COMMAND" && Array.isArray(c.argv)) {
    const words = c.argv.flatMap((a) => (typeof a === "string" ? a.toLowerCase().split(/[\s;|&()]+/) : []));
    const hit = words.find((w) => STOPPING.has(w.replace(/^.*\//, "")) || /^(stop|terminate|delete|destroy|kill|drop)-/.test(w));
    if (hit) return `the command runs “${hit}”, which stops or removes something`;
    if (words.some((w, i) => /^(--)?replicas=0$/.test(w) || (w === "--replicas" && words[i + 1] === "0"))) {
      return "the command scales to zero replicas, which stops the service";
    }
  }
  if (step.executor === "HTTP" && typeof c.url === "string") {
    if (typeof c.method === "string" && c.method.toUpperCase() === "DELETE") return "it sends a DELETE";
    try {
      const segment = new URL(c.url).pathname
        .toLowerCase()
        .split("/")
        .find((s) => STOPPING.has(s) || /^(stop|terminate|delete|destroy|kill|drop)-/.test(s));
      if (segment) return `it calls …/${segment}, which stops or removes something`;
    } catch {
      // An invalid URL is reported by the config schema.
    }
  }
  return undefined;
}

function checkFlags(step: PlanStep, index: number, add: (i: RunbookIssue) => void): void {
  const nothing = changesNothing(step);
  if (nothing && step.destructive) {
    add({
      path: `steps.${index}.destructive`,
      severity: "error",
      message: `${nothing}: it cannot be destructive (that would ask for the service name for nothing).`,
    });
  }
  if (nothing && step.changesTraffic) {
    add({ path: `steps.${index}.changesTraffic`, severity: "error", message: `${nothing}: it cannot change traffic.` });
  }
  const because = !step.destructive && destructiveBecause(step);
  if (because) {
    add({
      path: `steps.${index}.destructive`,
      severity: "error",
      message: `Mark this step destructive: ${because}. Destructive steps ask for the service name before they run.`,
    });
  }
}

const SECRET_ADVICE: Partial<Record<ExecutorKind, string>> = {
  HTTP: "put the header under Secret headers with the NAME of the server environment variable that holds it",
  COMMAND: "pass it through Secret environment: the command's variable, filled from a server environment variable by NAME",
  FLAG_DISABLE: "put the NAME of the server environment variable holding the API token under Token environment variable",
};

function checkSecrets(step: PlanStep, index: number, add: (i: RunbookIssue) => void): void {
  const advice = SECRET_ADVICE[step.executor] ?? "keep it in a server environment variable and reference that by NAME";
  const found = new Map<string, string>();
  const flag = (path: (string | number)[], what: string) => {
    const key = `steps.${index}.config${path.map((p) => `.${p}`).join("")}`;
    if (!found.has(key)) found.set(key, `Looks like a secret (${what}) written into the runbook: ${advice}.`);
  };
  const c = step.config;
  const record = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  if (step.executor === "HTTP") {
    for (const [name, value] of Object.entries(record(c.headers))) {
      if (typeof value === "string" && value !== "" && isSecretName(name)) flag(["headers", name], `a literal ${name} header`);
    }
    const inUrl = typeof c.url === "string" ? urlSecret(c.url) : undefined;
    if (inUrl) flag(["url"], inUrl);
    const inBody = typeof c.body === "string" ? bodySecret(c.body) : undefined;
    if (inBody) flag(["body"], inBody);
  }
  if (step.executor === "COMMAND") {
    for (const [name, value] of Object.entries(record(c.env))) {
      if (typeof value === "string" && value !== "" && isSecretName(name)) flag(["env", name], `a literal ${name}`);
    }
    if (Array.isArray(c.argv)) for (const { index: i, what } of argvSecrets(c.argv)) flag(["argv", i], what);
    if (Array.isArray(c.argv)) {
      for (const { index: i, what } of printedSecrets(c.argv, Object.keys(record(c.secretEnv)))) {
        add({
          path: `steps.${index}.config.argv.${i}`,
          severity: "warning",
          message: `This step prints a secret (${what}): the log shows [redacted] in its place, but a secret should only reach the program that needs it.`,
        });
      }
    }
  }
  if (step.executor === "HEALTH_CHECK" && Array.isArray(c.urls)) {
    c.urls.forEach((u, i) => {
      const url = typeof u === "string" ? u : (record(u).url as unknown);
      const inUrl = typeof url === "string" ? urlSecret(url) : undefined;
      if (inUrl) flag(typeof u === "string" ? ["urls", i] : ["urls", i, "url"], inUrl);
    });
  }
  for (const leaf of stringLeaves(c)) {
    const what = secretLookalike(leaf.value);
    if (what) flag(leaf.path, what);
  }
  for (const [path, message] of found) add({ path, severity: "error", message });
}

function checkEnvRefs(step: PlanStep, index: number, env: Record<string, string | undefined>, add: (i: RunbookIssue) => void): void {
  for (const ref of configEnvRefs(step.executor, step.config)) {
    if (env[ref.name]) continue;
    add({
      path: `steps.${index}.config.${ref.path.join(".")}`,
      severity: "warning",
      message: `${ref.name} (${ref.purpose}) is not set on this server: the step will stop as not configured until it is.`,
    });
  }
}

/** A restore depends on an emergency backup of the same run: an earlier, non-optional postgres backup step. */
function checkRestores(steps: PlanStep[], add: (i: RunbookIssue) => void): void {
  steps.forEach((step, index) => {
    if (step.executor !== "POSTGRES" || step.config.operation !== "restore") return;
    const fromStep = typeof step.config.fromStep === "string" ? step.config.fromStep : DEFAULT_BACKUP_STEP;
    const path = `steps.${index}.config.fromStep`;
    const b = steps.findIndex((s) => s.key === fromStep);
    const backup = steps[b];
    if (!backup) {
      add({
        path,
        severity: "error",
        message: `The restore runs only after this run's emergency backup succeeded: add a PostgreSQL backup step with ID ${fromStep} before it.`,
      });
      return;
    }
    if (backup.executor !== "POSTGRES" || backup.config.operation !== "backup") {
      add({ path, severity: "error", message: `Step ${b + 1} (${fromStep}) is not a PostgreSQL backup: the restore needs one.` });
      return;
    }
    if (b > index) {
      add({ path, severity: "error", message: `The emergency backup (step ${b + 1}) must come before the restore (step ${index + 1}).` });
    }
    if (backup.optional) {
      add({ path: `steps.${b}.optional`, severity: "error", message: "The restore depends on this backup: it cannot be optional." });
    }
    if (backup.config.databaseUrlEnv !== step.config.databaseUrlEnv) {
      add({
        path: `steps.${index}.config.databaseUrlEnv`,
        severity: "warning",
        message: `The emergency backup reads ${String(backup.config.databaseUrlEnv)} and this restore writes ${String(step.config.databaseUrlEnv)}: the restore refuses unless both name the same database.`,
      });
    }
  });
}

// ───────────────────────────── the whole runbook ─────────────────────────────

const zodPath = (prefix: string, path: readonly PropertyKey[]) =>
  [prefix, ...path.filter((p) => typeof p !== "symbol").map(String)].filter(Boolean).join(".");

export type RunbookCheck = {
  /** The steps as they will be stored (names and IDs trimmed); null when there are errors. */
  steps: PlanStep[] | null;
  issues: RunbookIssue[];
};

export function checkRunbook(strategy: RollbackStrategy, rawSteps: unknown, env: Record<string, string | undefined>): RunbookCheck {
  const issues: RunbookIssue[] = [];
  const add = (i: RunbookIssue) => issues.push(i);
  if (!Array.isArray(rawSteps)) return { steps: null, issues: [{ path: "steps", severity: "error", message: "The steps are missing." }] };
  if (rawSteps.length === 0) add({ path: "steps", severity: "error", message: "Add at least one step." });
  if (rawSteps.length > MAX_STEPS) add({ path: "steps", severity: "error", message: `A runbook has at most ${MAX_STEPS} steps.` });

  const steps: PlanStep[] = [];
  rawSteps.forEach((raw, index) => {
    const parsed = runbookStepSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        add({ path: zodPath(`steps.${index}`, issue.path), severity: "error", message: issue.message });
      return;
    }
    const step = parsed.data;
    for (const issue of configIssues(step.executor, step.config)) {
      add({ path: zodPath(`steps.${index}.config`, issue.path), severity: "error", message: issue.message });
    }
    steps[index] = step;
  });

  const seenNames = new Map<string, number>();
  const seenKeys = new Map<string, number>();
  steps.forEach((step, index) => {
    const name = step.name.toLowerCase();
    const sameName = seenNames.get(name);
    if (sameName !== undefined) {
      add({ path: `steps.${index}.name`, severity: "error", message: `Step ${sameName + 1} already has this name: names must differ.` });
    } else seenNames.set(name, index);
    const sameKey = seenKeys.get(step.key);
    if (sameKey !== undefined) {
      add({ path: `steps.${index}.key`, severity: "error", message: `Step ${sameKey + 1} already has this ID: IDs must differ.` });
    } else seenKeys.set(step.key, index);
    checkFlags(step, index, add);
    checkSecrets(step, index, add);
    if (CONFIG_SCHEMAS[step.executor].safeParse(step.config).success) checkEnvRefs(step, index, env, add);
  });

  // Order rules need every step readable.
  if (steps.filter(Boolean).length === rawSteps.length) {
    checkRestores(steps, add);
    if (strategy !== "CUSTOM") checkStrategy(strategy, steps, add);
  }
  const ok = !issues.some((i) => i.severity === "error");
  return { steps: ok ? steps : null, issues };
}
