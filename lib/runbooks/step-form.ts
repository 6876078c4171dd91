// The runbook editor's form for each executor's settings, and the conversions between its text
// fields and a step's config. Pure (the browser uses it). The form does not judge values: a
// number field holding "ten" is sent as "ten", and the server's check (the executor's own schema)
// says "must be a number of seconds" under that field.
import type { ExecutorKind } from "@/generated/prisma/enums";
import { DEFAULT_BACKUP_STEP, POSTGRES_OPERATIONS } from "@/lib/rollback/executors/configs";

export type Pair = { a: string; b: string };
export type FormValue = string | boolean | Pair[];
export type StepForm = Record<string, FormValue>;

type Base = { name: string; label: string; hint?: string; placeholder?: string; showIf?: (form: StepForm) => boolean; wide?: boolean };
export type FieldSpec = Base &
  (
    | { kind: "text" | "textarea" | "number" | "lines" | "statuses"; mono?: boolean }
    | { kind: "select"; options: { value: string; label: string }[] }
    | { kind: "checkbox" }
    /** Rows of two values: headers, environment, probes (URL + status), row counts (table + minimum). */
    | { kind: "pairs"; columns: [string, string]; placeholders?: [string, string]; add: string; shape: "record" | "probes" | "rowCounts" }
  );

const op =
  (...ops: string[]) =>
  (f: StepForm) =>
    ops.includes(String(f.operation));

const TIMEOUT = (placeholder: string): FieldSpec => ({
  name: "timeoutMs",
  label: "Timeout (ms)",
  kind: "number",
  placeholder,
});

export const EXECUTOR_FIELDS: Record<ExecutorKind, FieldSpec[]> = {
  HTTP: [
    {
      name: "method",
      label: "Method",
      kind: "select",
      options: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].map((m) => ({ value: m, label: m })),
    },
    { name: "url", label: "URL", kind: "text", mono: true, placeholder: "https://router.internal/admin/switch", wide: true },
    {
      name: "headers",
      label: "Headers",
      kind: "pairs",
      shape: "record",
      columns: ["Header", "Value"],
      placeholders: ["content-type", "application/json"],
      add: "Add header",
      hint: "Plain values only: a credential goes under secret headers.",
      wide: true,
    },
    {
      name: "secretHeaders",
      label: "Secret headers",
      kind: "pairs",
      shape: "record",
      columns: ["Header", "Environment variable NAME"],
      placeholders: ["Authorization", "ROUTER_TOKEN"],
      add: "Add secret header",
      hint: "The value is read from this server's environment when the step runs; it never reaches the browser or a log.",
      wide: true,
    },
    {
      name: "body",
      label: "Body template",
      kind: "textarea",
      mono: true,
      placeholder: '{"to": "blue", "reason": "{{incident.title}}"}',
      hint: "Placeholders: {{incident.title}}, {{service.name}}, {{run.id}}.",
      wide: true,
    },
    { name: "expectedStatus", label: "Expected status", kind: "statuses", placeholder: "200", hint: "One or several, e.g. 200, 204." },
    TIMEOUT("10000"),
  ],
  COMMAND: [
    {
      name: "argv",
      label: "Program and arguments",
      kind: "lines",
      mono: true,
      placeholder: "systemctl\nstop\ncheckout",
      hint: "One per line, run without a shell.",
      wide: true,
    },
    {
      name: "env",
      label: "Environment",
      kind: "pairs",
      shape: "record",
      columns: ["Variable", "Value"],
      placeholders: ["RELEASE", "v2.4.0"],
      add: "Add variable",
      hint: "Plain values only: a credential goes under secret environment.",
      wide: true,
    },
    {
      name: "secretEnv",
      label: "Secret environment",
      kind: "pairs",
      shape: "record",
      columns: ["Variable", "Environment variable NAME"],
      placeholders: ["DEPLOY_TOKEN", "CHECKOUT_DEPLOY_TOKEN"],
      add: "Add secret variable",
      hint: "The command gets the value of this server's environment variable under the name on the left.",
      wide: true,
    },
    { name: "cwd", label: "Working directory", kind: "text", mono: true, placeholder: "/srv/checkout" },
    TIMEOUT("60000"),
  ],
  POSTGRES: [
    {
      name: "operation",
      label: "Operation",
      kind: "select",
      options: POSTGRES_OPERATIONS.map((o) => ({
        value: o,
        label: { "check-backup": "Check a backup", backup: "Take an emergency backup", restore: "Restore", integrity: "Integrity queries" }[
          o
        ],
      })),
    },
    {
      name: "databaseUrlEnv",
      label: "Database URL environment variable",
      kind: "text",
      mono: true,
      placeholder: "CHECKOUT_DATABASE_URL",
      hint: "The NAME of the variable holding postgres://…",
      showIf: op("backup", "restore", "integrity"),
    },
    {
      name: "backupPath",
      label: "Backup file",
      kind: "text",
      mono: true,
      placeholder: "/var/backups/checkout/nightly.dump",
      hint: "Restore: leave empty to restore the emergency backup.",
      showIf: op("check-backup", "restore"),
    },
    { name: "maxBackupAgeHours", label: "Maximum age (hours)", kind: "number", placeholder: "24", showIf: op("check-backup") },
    {
      name: "fromStep",
      label: "Emergency backup step ID",
      kind: "text",
      mono: true,
      placeholder: DEFAULT_BACKUP_STEP,
      hint: "The restore refuses to run unless this step succeeded in the same run.",
      showIf: op("restore"),
    },
    {
      name: "tables",
      label: "Tables that must exist",
      kind: "lines",
      mono: true,
      placeholder: "public.orders\npublic.payments",
      hint: "One per line.",
      showIf: op("integrity"),
    },
    {
      name: "rowCounts",
      label: "Row counts",
      kind: "pairs",
      shape: "rowCounts",
      columns: ["Table", "At least (rows)"],
      placeholders: ["public.orders", "1000"],
      add: "Add row count",
      showIf: op("integrity"),
      wide: true,
    },
    { ...TIMEOUT("1800000"), showIf: op("check-backup", "backup", "restore") },
  ],
  HEALTH_CHECK: [
    {
      name: "urls",
      label: "Probes",
      kind: "pairs",
      shape: "probes",
      columns: ["URL", "Expected status"],
      placeholders: ["https://checkout.internal/health", "200"],
      add: "Add probe",
      wide: true,
    },
    { name: "expectedStatus", label: "Default expected status", kind: "number", placeholder: "200" },
    { name: "retries", label: "Retries", kind: "number", placeholder: "3" },
    { name: "intervalMs", label: "Between retries (ms)", kind: "number", placeholder: "2000" },
    TIMEOUT("3000"),
    { name: "degradedLatencyMs", label: "Degraded above (ms)", kind: "number", placeholder: "none" },
  ],
  WAIT: [{ name: "seconds", label: "Seconds", kind: "number", placeholder: "30", hint: "1 to 600." }],
  VERIFY_METRICS: [
    { name: "maxErrorRate", label: "Maximum error rate", kind: "number", placeholder: "0.05", hint: "A fraction: 0.05 = 5%." },
    { name: "maxP99Ms", label: "Maximum p99 (ms)", kind: "number", placeholder: "200" },
    { name: "windowSeconds", label: "Window (s)", kind: "number", placeholder: "60" },
    {
      name: "withinBaselineTolerance",
      label: "p99 tolerance over baseline",
      kind: "number",
      placeholder: "none",
      hint: "0.5 = at most 50% above the pre-release p99.",
    },
  ],
  NOTIFY: [
    {
      name: "webhookUrlEnv",
      label: "Webhook URL environment variable",
      kind: "text",
      mono: true,
      placeholder: "SLACK_WEBHOOK_URL",
      hint: "The NAME of the variable holding the webhook URL — or leave empty and name a destination below.",
    },
    {
      name: "destination",
      label: "Or a notification destination",
      kind: "text",
      placeholder: "#incidents",
      hint: "A destination's name from Admin → Notifications (its format and signature apply).",
    },
    {
      name: "text",
      label: "Message template",
      kind: "textarea",
      placeholder: "Rolling back {{service.name}} for “{{incident.title}}”",
      hint: "Placeholders: {{incident.title}}, {{service.name}}, {{run.id}}.",
      wide: true,
    },
    { name: "report", label: "Append the run's report (each earlier step's outcome)", kind: "checkbox" },
    TIMEOUT("10000"),
  ],
  FLAG_DISABLE: [
    {
      name: "baseUrl",
      label: "Unleash server URL",
      kind: "text",
      mono: true,
      placeholder: "https://unleash.internal",
      hint: "Its admin API (/api/admin/…) is called under this address.",
      wide: true,
    },
    { name: "flag", label: "Feature flag", kind: "text", mono: true, placeholder: "new-pricing-engine" },
    { name: "environment", label: "Environment", kind: "text", mono: true, placeholder: "production" },
    { name: "project", label: "Project", kind: "text", mono: true, placeholder: "default" },
    {
      name: "tokenEnv",
      label: "Token environment variable",
      kind: "text",
      mono: true,
      placeholder: "UNLEASH_ADMIN_TOKEN",
      hint: "The NAME of the variable holding an Unleash admin API token; the token never reaches the browser or a log.",
    },
    TIMEOUT("10000"),
  ],
};

export function visibleFields(executor: ExecutorKind, form: StepForm): FieldSpec[] {
  return EXECUTOR_FIELDS[executor].filter((f) => !f.showIf || f.showIf(form));
}

export function emptyForm(executor: ExecutorKind): StepForm {
  const form: StepForm = {};
  for (const f of EXECUTOR_FIELDS[executor]) {
    form[f.name] = f.kind === "pairs" ? [] : f.kind === "checkbox" ? false : f.kind === "select" ? f.options[0].value : "";
  }
  return form;
}

/** "12" → 12; "" → undefined (the default applies); "ten" stays "ten" for the server to refuse by name. */
function numberOrText(s: string): number | string | undefined {
  const t = s.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

const lines = (s: string) =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));

export function formToConfig(executor: ExecutorKind, form: StepForm): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of visibleFields(executor, form)) {
    const v = form[f.name];
    switch (f.kind) {
      case "text":
      case "textarea":
      case "select": {
        const s = typeof v === "string" ? (f.kind === "textarea" ? v : v.trim()) : "";
        if (s.trim() !== "") config[f.name] = s;
        break;
      }
      case "number": {
        const n = numberOrText(typeof v === "string" ? v : "");
        if (n !== undefined) config[f.name] = n;
        break;
      }
      case "lines": {
        const list = lines(typeof v === "string" ? v : "");
        // An empty program list is sent as such, so the server says "needs at least the program".
        if (list.length > 0 || f.name === "argv") config[f.name] = list;
        break;
      }
      case "statuses": {
        const list = (typeof v === "string" ? v : "")
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((s) => numberOrText(s) as number | string);
        if (list.length === 1) config[f.name] = list[0];
        else if (list.length > 1) config[f.name] = list;
        break;
      }
      case "checkbox":
        if (v === true) config[f.name] = true;
        break;
      case "pairs": {
        const rows = (Array.isArray(v) ? v : []).filter((r) => r.a.trim() !== "" || r.b.trim() !== "");
        if (f.shape === "record") {
          if (rows.length > 0) config[f.name] = Object.fromEntries(rows.map((r) => [r.a.trim(), r.b]));
        } else if (f.shape === "probes") {
          config[f.name] = rows.map((r) => {
            const status = numberOrText(r.b);
            return status === undefined ? r.a.trim() : { url: r.a.trim(), expectedStatus: status };
          });
        } else if (rows.length > 0) {
          config[f.name] = rows.map((r) => ({ table: r.a.trim(), min: numberOrText(r.b) ?? 0 }));
        }
        break;
      }
    }
  }
  return config;
}

export function configToForm(executor: ExecutorKind, config: Record<string, unknown>): StepForm {
  const form = emptyForm(executor);
  for (const f of EXECUTOR_FIELDS[executor]) {
    const v = config[f.name];
    if (v === undefined) continue;
    switch (f.kind) {
      case "text":
      case "textarea":
      case "select":
      case "number":
        form[f.name] = text(v);
        break;
      case "lines":
        form[f.name] = Array.isArray(v) ? v.map(text).join("\n") : text(v);
        break;
      case "statuses":
        form[f.name] = Array.isArray(v) ? v.map(text).join(", ") : text(v);
        break;
      case "checkbox":
        form[f.name] = v === true;
        break;
      case "pairs":
        if (f.shape === "record" && isRecord(v)) form[f.name] = Object.entries(v).map(([a, b]) => ({ a, b: text(b) }));
        if (f.shape === "probes" && Array.isArray(v)) {
          form[f.name] = v.map((u) => (isRecord(u) ? { a: text(u.url), b: text(u.expectedStatus) } : { a: text(u), b: "" }));
        }
        if (f.shape === "rowCounts" && Array.isArray(v)) {
          form[f.name] = v.map((r) => (isRecord(r) ? { a: text(r.table), b: text(r.min) } : { a: text(r), b: "" }));
        }
        break;
    }
  }
  return form;
}

/** A step ID from its name: "Switch traffic to blue" → "switch-traffic-to-blue". */
export function keyFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}
