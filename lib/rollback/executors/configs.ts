// The settings of every executor kind, as zod schemas: the one definition the executors parse at
// run time and the runbook editor validates on save, so the two can never disagree. Pure (zod
// only): the runbook rules, the unit tests and the browser import it too.
import { z } from "zod";
import type { ExecutorKind } from "@/generated/prisma/enums";

export const EXECUTOR_KINDS = [
  "HTTP",
  "COMMAND",
  "POSTGRES",
  "HEALTH_CHECK",
  "WAIT",
  "VERIFY_METRICS",
  "NOTIFY",
  "FLAG_DISABLE",
] as const satisfies readonly ExecutorKind[];

/** How the executors name themselves in messages ("http step needs config.url"). */
export const EXECUTOR_NAMES: Record<ExecutorKind, string> = {
  HTTP: "http",
  COMMAND: "command",
  POSTGRES: "postgres",
  HEALTH_CHECK: "health-check",
  WAIT: "wait",
  VERIFY_METRICS: "verify-metrics",
  NOTIFY: "notify",
  FLAG_DISABLE: "flag-disable",
};

/** How people name them (the runbook editor, the read-only view). */
export const EXECUTOR_LABELS: Record<ExecutorKind, string> = {
  HTTP: "HTTP request",
  COMMAND: "Command",
  POSTGRES: "PostgreSQL",
  HEALTH_CHECK: "Health check",
  WAIT: "Wait",
  VERIFY_METRICS: "Verify metrics",
  NOTIFY: "Notify (webhook or destination)",
  FLAG_DISABLE: "Feature flag off (Unleash)",
};

// ───────────────────────────── shared fields ─────────────────────────────

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The NAME of a server environment variable: secrets are referenced this way, never written in a runbook. */
export const envName = (message = "must be the NAME of an environment variable (not its value)") => z.string().regex(ENV_NAME, message);

export const httpUrl = z.string().refine((s) => {
  try {
    return ["http:", "https:"].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, "must be an absolute http:// or https:// URL");

export const httpStatus = z
  .number({ error: "must be an HTTP status (a number from 100 to 599)" })
  .int("must be an HTTP status (a number from 100 to 599)")
  .min(100, "must be an HTTP status (a number from 100 to 599)")
  .max(599, "must be an HTTP status (a number from 100 to 599)");

const wholeNumber = (unit: string, min: number, max: number) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min} ${unit}`)
    .max(max, `must be at most ${max.toLocaleString("en-US")} ${unit}`);

const absolutePath = z.string().regex(/^\//, "must be an absolute path, e.g. /var/backups/app.dump");

// ───────────────────────────── templates ─────────────────────────────

export const PLACEHOLDER = /\{\{\s*([a-z.]+)\s*\}\}/gi;
export const TEMPLATE_VALUES = ["incident.title", "service.name", "run.id"] as const;

/** The message for the first unknown {{placeholder}} of a template, or undefined when all are known. */
export function unknownPlaceholder(template: string): string | undefined {
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_VALUES as readonly string[]).includes(m[1].toLowerCase())) {
      return `unknown placeholder {{${m[1]}}} (use {{incident.title}}, {{service.name}} or {{run.id}})`;
    }
  }
  return undefined;
}

const template = z
  .string()
  .min(1, "cannot be empty (leave it out instead)")
  .superRefine((s, ctx) => {
    const problem = unknownPlaceholder(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// ───────────────────────────── http ─────────────────────────────

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const httpConfigSchema = z
  .object({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, "must be an HTTP method such as GET or POST")
      .transform((m) => m.toUpperCase())
      .default("GET"),
    url: httpUrl,
    headers: z
      .record(
        z.string().regex(HEADER_NAME, "header names are letters, digits and dashes"),
        z.string().refine((v) => !/[\r\n\0]/.test(v), "a header value cannot contain line breaks"),
      )
      .default({}),
    /** A template: {{incident.title}}, {{service.name}}, {{run.id}}. */
    body: template.optional(),
    expectedStatus: z.union([httpStatus, z.array(httpStatus).min(1)]).default(200),
    timeoutMs: wholeNumber("milliseconds", 1, 600_000).default(10_000),
    /** Header name → name of the server environment variable holding its value. */
    secretHeaders: z
      .record(z.string().regex(HEADER_NAME, "header names are letters, digits and dashes"), envName("must be an environment variable name"))
      .default({}),
  })
  .superRefine((c, ctx) => {
    if (c.body !== undefined && (c.method === "GET" || c.method === "HEAD")) {
      ctx.addIssue({ code: "custom", path: ["body"], message: `a ${c.method} request cannot have a body` });
    }
  });

export type HttpConfig = z.output<typeof httpConfigSchema>;

// ───────────────────────────── command ─────────────────────────────

export const commandConfigSchema = z.object({
  argv: z.array(z.string().min(1, "argv entries cannot be empty")).min(1, "needs at least the program to run"),
  /** Working directory; the server's own when absent. */
  cwd: absolutePath.optional(),
  /** The command's own variables, added to the base environment (PATH, HOME, LANG; never the server's). */
  env: z.record(z.string().regex(ENV_NAME, "variable names are letters, digits and _"), z.string()).default({}),
  /** Child variable → name of the server environment variable whose value it gets (for secrets). */
  secretEnv: z.record(z.string().regex(ENV_NAME, "variable names are letters, digits and _"), envName()).default({}),
  timeoutMs: wholeNumber("milliseconds", 1, 24 * 3600_000).default(60_000),
});

export type CommandConfig = z.output<typeof commandConfigSchema>;

// ───────────────────────────── postgres ─────────────────────────────

export const POSTGRES_OPERATIONS = ["check-backup", "backup", "restore", "integrity"] as const;
export type PostgresOperation = (typeof POSTGRES_OPERATIONS)[number];
export const DEFAULT_BACKUP_STEP = "emergency-backup";

export const postgresConfigSchema = z
  .object({
    operation: z.enum(POSTGRES_OPERATIONS, { error: `must be one of ${POSTGRES_OPERATIONS.join(", ")}` }),
    /** Name of the environment variable holding the target database URL (backup, restore, integrity). */
    databaseUrlEnv: envName("must be the NAME of an environment variable (not a URL)").optional(),
    /** check-backup: the file to check (required). restore: the archive to restore instead of the emergency backup. */
    backupPath: absolutePath.optional(),
    maxBackupAgeHours: z.number({ error: "must be a number of hours" }).positive("must be more than 0 hours").default(24),
    /** integrity: tables that must exist (as to_regclass reads them: schema-qualified, quoted for capitals). */
    tables: z.array(z.string().min(1, "table names cannot be empty")).default([]),
    /** integrity: tables that must hold at least `min` rows. */
    rowCounts: z
      .array(
        z.object({
          table: z.string().min(1, "table names cannot be empty"),
          min: z.number({ error: "must be a number of rows" }).int("must be a whole number of rows").nonnegative("cannot be negative"),
        }),
      )
      .default([]),
    /** restore: the key of the emergency backup step whose output.path must exist. */
    fromStep: z.string().min(1).default(DEFAULT_BACKUP_STEP),
    /** pg_dump / pg_restore time limit. */
    timeoutMs: wholeNumber("milliseconds", 1, 24 * 3600_000).default(30 * 60_000),
  })
  .superRefine((c, ctx) => {
    if (c.operation === "check-backup" && !c.backupPath) {
      ctx.addIssue({ code: "custom", path: ["backupPath"], message: "a backup check needs the backup file to check" });
    }
    if (c.operation !== "check-backup" && !c.databaseUrlEnv) {
      ctx.addIssue({
        code: "custom",
        path: ["databaseUrlEnv"],
        message: `${{ backup: "a backup", restore: "a restore", integrity: "an integrity check" }[c.operation]} needs the NAME of the environment variable holding the database URL`,
      });
    }
    if (c.operation === "integrity" && c.tables.length === 0 && c.rowCounts.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["tables"],
        message: "an integrity check needs tables that must exist or row counts to check",
      });
    }
  });

export type PostgresConfig = z.output<typeof postgresConfigSchema>;

// ───────────────────────────── health check ─────────────────────────────

export const healthCheckConfigSchema = z.object({
  urls: z
    .array(z.union([httpUrl, z.object({ url: httpUrl, expectedStatus: httpStatus.optional() })], { error: "must be an http(s) URL" }))
    .min(1, "needs at least one URL"),
  retries: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "cannot be negative")
    .max(100, "at most 100")
    .default(3),
  intervalMs: wholeNumber("milliseconds", 0, 600_000).default(2000),
  timeoutMs: wholeNumber("milliseconds", 1, 600_000).default(3000),
  /** An answer slower than this is a failed (degraded) attempt. */
  degradedLatencyMs: wholeNumber("milliseconds", 1, 600_000).optional(),
  /** Expected status of the URLs given as plain strings. */
  expectedStatus: httpStatus.default(200),
});

export type HealthCheckConfig = z.output<typeof healthCheckConfigSchema>;

// ───────────────────────────── wait ─────────────────────────────

export const waitConfigSchema = z.object({
  seconds: z.number({ error: "must be a number of seconds" }).min(1, "must be at least 1 second").max(600, "must be at most 600 seconds"),
});

// ───────────────────────────── verify metrics ─────────────────────────────

export const verifyMetricsConfigSchema = z.object({
  /** Fraction 0..1 (0.05 = 5%). */
  maxErrorRate: z
    .number({ error: "must be a fraction between 0 and 1 (0.05 = 5%)" })
    .min(0, "must be a fraction between 0 and 1 (0.05 = 5%)")
    .max(1, "must be a fraction between 0 and 1 (0.05 = 5%)")
    .default(0.05),
  maxP99Ms: z.number({ error: "must be a number of milliseconds" }).positive("must be more than 0 ms").default(200),
  windowSeconds: wholeNumber("seconds", 5, 24 * 3600).default(60),
  /** 0.5: the p99 may be at most 50% above the baseline's p99 (ctx.metrics.baseline.LATENCY_P99). */
  withinBaselineTolerance: z
    .number({ error: "must be a fraction (0.5 = up to 50% above the baseline)" })
    .min(0, "cannot be negative")
    .max(100, "at most 100")
    .optional(),
});

export type VerifyMetricsConfig = z.output<typeof verifyMetricsConfigSchema>;

// ───────────────────────────── notify ─────────────────────────────

export const notifyConfigSchema = z
  .object({
    /** Either the NAME of the environment variable holding a webhook URL… */
    webhookUrlEnv: envName("must be the NAME of an environment variable (not a URL)").optional(),
    /** …or a destination configured under Admin → Notifications, by its name (its format and secret apply). */
    destination: z.string().trim().min(1, "must name a destination").max(100, "must be at most 100 characters").optional(),
    /** A template: {{incident.title}}, {{service.name}}, {{run.id}}. */
    text: template.optional(),
    /** Append each earlier step's outcome. */
    report: z.boolean().default(false),
    timeoutMs: wholeNumber("milliseconds", 1, 600_000).default(10_000),
  })
  .superRefine((c, ctx) => {
    if (c.webhookUrlEnv === undefined && c.destination === undefined) {
      ctx.addIssue({ code: "custom", path: ["webhookUrlEnv"], message: "required, or config.destination" });
    }
    if (c.webhookUrlEnv !== undefined && c.destination !== undefined) {
      ctx.addIssue({ code: "custom", path: ["destination"], message: "use either config.webhookUrlEnv or config.destination, not both" });
    }
  });

export type NotifyConfig = z.output<typeof notifyConfigSchema>;

// ───────────────────────────── flag disable ─────────────────────────────

/** Unleash's names of projects, flags and environments are URL-friendly: letters, digits, - _ . ~ */
const URL_FRIENDLY = /^[A-Za-z0-9_.~-]{1,100}$/;
const urlFriendly = (what: string) =>
  z.string({ error: `must be the ${what}` }).regex(URL_FRIENDLY, `must be the ${what}: letters, digits, -, _, . or ~`);

/** Turns one flag off in one environment through Unleash's admin API (flag-disable.ts). */
export const flagDisableConfigSchema = z.object({
  /** Where the Unleash server answers: its /api/admin/… paths are appended. */
  baseUrl: httpUrl,
  project: urlFriendly("Unleash project ID").default("default"),
  flag: urlFriendly("feature flag's name"),
  environment: urlFriendly("environment's name, e.g. production"),
  /** The NAME of the server environment variable holding an Unleash admin API token. */
  tokenEnv: envName("must be the NAME of an environment variable (not the token)"),
  timeoutMs: wholeNumber("milliseconds", 1, 600_000).default(10_000),
});

export type FlagDisableConfig = z.output<typeof flagDisableConfigSchema>;

/** Unleash's admin API address of the flag in the environment ("Get a feature environment"; + "/off" turns it off). */
export function featureEnvironmentUrl(c: Pick<FlagDisableConfig, "baseUrl" | "project" | "flag" | "environment">): string {
  const enc = encodeURIComponent;
  return `${c.baseUrl.replace(/\/+$/, "")}/api/admin/projects/${enc(c.project)}/features/${enc(c.flag)}/environments/${enc(c.environment)}`;
}

// ───────────────────────────── by kind ─────────────────────────────

export const CONFIG_SCHEMAS = {
  HTTP: httpConfigSchema,
  COMMAND: commandConfigSchema,
  POSTGRES: postgresConfigSchema,
  HEALTH_CHECK: healthCheckConfigSchema,
  WAIT: waitConfigSchema,
  VERIFY_METRICS: verifyMetricsConfigSchema,
  NOTIFY: notifyConfigSchema,
  FLAG_DISABLE: flagDisableConfigSchema,
} satisfies Record<ExecutorKind, z.ZodType>;

/** What a missing setting should hold, by its path: "http step needs config.url (the address …)". */
export const CONFIG_HINTS: Record<ExecutorKind, Record<string, string>> = {
  HTTP: { url: "(the address to call, http:// or https://)" },
  COMMAND: { argv: '(a non-empty list: the program and its arguments, e.g. ["systemctl", "stop", "app"])' },
  POSTGRES: {
    operation: `(one of ${POSTGRES_OPERATIONS.join(", ")})`,
    backupPath: "(the backup file to check)",
    databaseUrlEnv: "(the NAME of the environment variable holding the database URL)",
    tables: "or config.rowCounts (what to verify)",
  },
  HEALTH_CHECK: { urls: '(a list of URLs, or of { "url", "expectedStatus" })' },
  WAIT: { seconds: "(how long to wait, 1 to 600)" },
  VERIFY_METRICS: {},
  NOTIFY: {
    webhookUrlEnv:
      "(the NAME of the environment variable holding the webhook URL) or config.destination (a destination's name from Admin → Notifications)",
  },
  FLAG_DISABLE: {
    baseUrl: "(the Unleash server's address, http:// or https://)",
    flag: "(the feature flag to turn off)",
    environment: "(the environment to turn it off in, e.g. production)",
    tokenEnv: "(the NAME of the environment variable holding an Unleash admin API token)",
  },
};

export type ConfigIssue = {
  /** Path inside the config: ["headers", "Authorization"]. */
  path: (string | number)[];
  /** Said of the field, for the editor: "must be an absolute http:// or https:// URL". */
  message: string;
  /** Said of the step, for the executor's NotConfiguredError: "http step needs config.url (…)". */
  stepMessage: string;
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function configPathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : `${s}.${String(k)}`), "config");
}

const TYPE_WORDS: Record<string, string> = {
  number: "must be a number",
  string: "must be text",
  array: "must be a list",
  object: "must be a set of names and values",
  record: "must be a set of names and values",
  boolean: "must be on or off",
};

/** A zod issue in plain words: zod's own "Invalid input: expected number, received string" is not. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) return TYPE_WORDS[issue.expected] ?? issue.message;
  if (issue.code === "unrecognized_keys") return `unknown setting${issue.keys.length === 1 ? "" : "s"} ${issue.keys.join(", ")}`;
  return issue.message;
}

/**
 * Every problem of a step's config, in the executor's words. `label` names the step in
 * stepMessage ("postgres restore"); the kind's own name by default.
 */
export function configIssues(kind: ExecutorKind, config: unknown, label = EXECUTOR_NAMES[kind]): ConfigIssue[] {
  const input = config ?? {};
  const result = CONFIG_SCHEMAS[kind].safeParse(input);
  if (result.success) return [];
  const hints = CONFIG_HINTS[kind];
  return result.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const where = configPathText(path);
    const hint = hints[path.map(String).join(".")];
    const missing = path.length > 0 && valueAt(input, path) === undefined;
    const text = issueText(issue);
    if (missing) {
      return {
        path,
        message: issue.code === "custom" ? text : `required${hint ? ` ${hint.replace(/^or config\.\w+ /, "")}` : ""}`,
        stepMessage: `${label} step needs ${where}${hint ? ` ${hint}` : ""}`,
      };
    }
    return { path, message: text, stepMessage: `${label} step: ${where}: ${text}${hint ? ` ${hint}` : ""}` };
  });
}

/** The server environment variables a step's config names, and what for ("the Authorization header"). */
export function configEnvRefs(kind: ExecutorKind, config: unknown): { name: string; path: (string | number)[]; purpose: string }[] {
  const c = (config ?? {}) as Record<string, unknown>;
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  const refs: { name: string; path: (string | number)[]; purpose: string }[] = [];
  const add = (value: unknown, path: (string | number)[], purpose: string) => {
    if (typeof value === "string" && ENV_NAME.test(value)) refs.push({ name: value, path, purpose });
  };
  if (kind === "HTTP" && isRecord(c.secretHeaders)) {
    for (const [header, env] of Object.entries(c.secretHeaders)) add(env, ["secretHeaders", header], `the ${header} header`);
  }
  if (kind === "COMMAND" && isRecord(c.secretEnv)) {
    for (const [variable, env] of Object.entries(c.secretEnv)) add(env, ["secretEnv", variable], `the command's ${variable}`);
  }
  if (kind === "POSTGRES") add(c.databaseUrlEnv, ["databaseUrlEnv"], "the database URL");
  if (kind === "NOTIFY") add(c.webhookUrlEnv, ["webhookUrlEnv"], "the webhook URL");
  if (kind === "FLAG_DISABLE") add(c.tokenEnv, ["tokenEnv"], "the flag service's API token");
  return refs;
}
