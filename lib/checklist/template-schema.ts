// Verification templates: the default checklist release engineers run after a rollback, the schema
// admins' per-service templates are validated against, and the pure expansion of a template into
// a checklist's items (critical features, the restore-only section, due and not-before times).
import { z } from "zod";
import type { ChecklistItemKind, ChecklistSection, MetricKind } from "@/generated/prisma/enums";
import { METRIC_KINDS } from "@/lib/metrics/types";

export const SECTIONS = [
  "SYSTEM_HEALTH",
  "CRITICAL_FUNCTIONALITY",
  "DATABASE_HEALTH",
  "USER_IMPACT",
  "DATA_INTEGRITY",
  "STABILITY",
] as const satisfies readonly ChecklistSection[];

export const SECTION_INFO: Record<ChecklistSection, { title: string; when: string }> = {
  SYSTEM_HEALTH: { title: "System health", when: "right after the rollback" },
  CRITICAL_FUNCTIONALITY: { title: "Critical functionality", when: "right after the rollback" },
  DATABASE_HEALTH: { title: "Database health", when: "right after the rollback" },
  USER_IMPACT: { title: "User impact", when: "about an hour after the rollback" },
  DATA_INTEGRITY: { title: "Data integrity", when: "a database restore ran" },
  STABILITY: { title: "Stability", when: "24 hours after the rollback" },
};

const METRICS = METRIC_KINDS;

/** CRITICAL_FEATURES is a placeholder: one FEATURE item per critical feature of the service. */
export const TEMPLATE_KINDS = ["CHECK", "METRIC", "NUMBER", "TEXT", "CRITICAL_FEATURES"] as const;

export const templateItemSchema = z
  .object({
    key: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_.-]{0,63}$/,
        "a key is 1–64 lowercase letters, digits, dots, dashes or underscores (e.g. system.error-rate)",
      ),
    section: z.enum(SECTIONS, { error: `section must be one of ${SECTIONS.join(", ")}` }),
    label: z.string().trim().min(1, "a label is required").max(200, "keep the label under 200 characters"),
    description: z.string().trim().max(500, "keep the description under 500 characters").default(""),
    kind: z.enum(TEMPLATE_KINDS, { error: `kind must be one of ${TEMPLATE_KINDS.join(", ")}` }),
    metric: z.enum(METRICS, { error: `metric must be one of ${METRICS.join(", ")}` }).optional(),
    /** Relative: within this fraction of the baseline (0.2 = 20%), in the metric's bad direction. */
    tolerance: z.number().min(0, "tolerance cannot be negative").max(10, "tolerance is a fraction (0.2 = 20%)").optional(),
    /** Absolute ceiling in the metric's unit (error rate: a fraction, 0.01 = 1%). */
    absoluteMax: z.number().min(0, "absoluteMax cannot be negative").optional(),
    /** The item cannot be ticked before this many hours after the rollback ended. */
    notBeforeHours: z
      .number()
      .min(0)
      .max(24 * 30, "notBeforeHours is at most 30 days")
      .optional(),
    /** The item is expected this many minutes after the rollback ended (shown, not enforced). */
    dueMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .optional(),
    /** Included only when a database restore ran in the rollback. */
    onlyWhenRestore: z.boolean().default(false),
  })
  .strict()
  .superRefine((item, ctx) => {
    if (item.kind === "METRIC") {
      if (!item.metric) ctx.addIssue({ code: "custom", path: ["metric"], message: "a METRIC item names its metric" });
      if (item.tolerance === undefined && item.absoluteMax === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["tolerance"],
          message: "a METRIC item needs a tolerance against baseline, an absoluteMax, or both",
        });
    } else {
      for (const field of ["metric", "tolerance", "absoluteMax"] as const)
        if (item[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `only METRIC items have ${field}` });
    }
    if (item.kind === "CRITICAL_FEATURES" && item.section !== "CRITICAL_FUNCTIONALITY")
      ctx.addIssue({ code: "custom", path: ["section"], message: "CRITICAL_FEATURES belongs in the CRITICAL_FUNCTIONALITY section" });
  });

export type TemplateItem = z.output<typeof templateItemSchema>;

export const templateItemsSchema = z
  .array(templateItemSchema)
  .min(1, "a template has at least one item")
  .max(100, "a template has at most 100 items")
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: `the key ${item.key} is used twice` });
      seen.add(item.key);
    });
    if (items.filter((i) => i.kind === "CRITICAL_FEATURES").length > 1)
      ctx.addIssue({ code: "custom", message: "CRITICAL_FEATURES may appear once" });
  });

/** "items[3].metric: a METRIC item names its metric" — one line per problem, for the admin's form. */
export function describeTemplateIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const [index, ...rest] = issue.path;
    const where = typeof index === "number" ? `item ${index + 1}${rest.length ? ` (${rest.join(".")})` : ""}` : "template";
    return `${where}: ${issue.message}`;
  });
}

const check = (section: ChecklistSection, key: string, label: string, extra: Partial<TemplateItem> = {}): TemplateItem => ({
  key,
  section,
  label,
  description: "",
  kind: "CHECK",
  onlyWhenRestore: false,
  ...extra,
});

/** How release engineers verify a rollback (issue #6); per-service templates start from a copy. */
export const DEFAULT_TEMPLATE: TemplateItem[] = [
  check("SYSTEM_HEALTH", "system.error-rate", "Error rate back to baseline", {
    kind: "METRIC",
    metric: "ERROR_RATE",
    absoluteMax: 0.01,
    description: "Under 1% of requests failing.",
  }),
  check("SYSTEM_HEALTH", "system.latency-p99", "p99 latency within range of baseline", {
    kind: "METRIC",
    metric: "LATENCY_P99",
    tolerance: 0.2,
    description: "At most 20% above the pre-release baseline.",
  }),
  check("SYSTEM_HEALTH", "system.latency-p95", "p95 latency within range of baseline", {
    kind: "METRIC",
    metric: "LATENCY_P95",
    tolerance: 0.2,
    description: "At most 20% above the pre-release baseline.",
  }),
  check("SYSTEM_HEALTH", "system.throughput", "Throughput back to baseline", {
    kind: "METRIC",
    metric: "THROUGHPUT",
    tolerance: 0.2,
    description: "At most 20% below the pre-release baseline.",
  }),
  check("SYSTEM_HEALTH", "system.cpu", "CPU usage within normal range"),
  check("SYSTEM_HEALTH", "system.memory", "Memory usage within normal range"),
  check("SYSTEM_HEALTH", "system.disk", "Disk usage within normal range"),
  check("CRITICAL_FUNCTIONALITY", "features", "Critical features work", {
    kind: "CRITICAL_FEATURES",
    description: "Test each one by hand and record what you did and what happened.",
  }),
  check("DATABASE_HEALTH", "db.pool", "Connection pool healthy"),
  check("DATABASE_HEALTH", "db.query-performance", "Query performance normal"),
  check("DATABASE_HEALTH", "db.logs", "No errors in database logs"),
  check("DATABASE_HEALTH", "db.replication", "Replication working"),
  check("DATABASE_HEALTH", "db.backups", "Backups running"),
  check("USER_IMPACT", "impact.users", "Users affected", { kind: "NUMBER", dueMinutes: 60 }),
  check("USER_IMPACT", "impact.duration", "Duration of impact", { kind: "TEXT", dueMinutes: 60, description: "e.g. 23 min, 10:02–10:25" }),
  check("USER_IMPACT", "impact.severity", "Severity of impact", { kind: "TEXT", dueMinutes: 60 }),
  check("USER_IMPACT", "impact.tickets-opened", "Support tickets opened", { kind: "NUMBER", dueMinutes: 60 }),
  check("USER_IMPACT", "impact.tickets-resolved", "Support tickets resolved", { kind: "NUMBER", dueMinutes: 60 }),
  check("USER_IMPACT", "impact.tickets-outstanding", "Support tickets outstanding", { kind: "NUMBER", dueMinutes: 60 }),
  check("DATA_INTEGRITY", "data.lost-transactions", "Lost transactions identified and quantified", {
    kind: "TEXT",
    onlyWhenRestore: true,
    description: "Writes between the backup and the restore are gone: how many, which.",
  }),
  check("DATA_INTEGRITY", "data.users-notified", "Affected users notified", { onlyWhenRestore: true }),
  check("DATA_INTEGRITY", "data.manual-recovery", "Need for manual recovery decided", { kind: "TEXT", onlyWhenRestore: true }),
  check("STABILITY", "stability.no-new-incidents", "No new incidents", { notBeforeHours: 24 }),
  check("STABILITY", "stability.metrics-stable", "Metrics stable", { notBeforeHours: 24 }),
  check("STABILITY", "stability.logs", "No unusual log patterns", { notBeforeHours: 24 }),
  check("STABILITY", "stability.complaints", "No customer complaints", { notBeforeHours: 24 }),
];

export type ItemSeed = {
  key: string;
  section: ChecklistSection;
  position: number;
  label: string;
  description: string;
  kind: ChecklistItemKind;
  metric: MetricKind | null;
  tolerance: number | null;
  absoluteMax: number | null;
  notBefore: Date | null;
  dueAt: Date | null;
};

export type BuildContext = {
  features: { id: string; name: string; description: string }[];
  restoreRan: boolean;
  rollbackEndedAt: Date;
};

const HOUR = 3600_000;

/** The checklist's items, in section order (the template's order within a section). */
export function buildChecklistItems(template: readonly TemplateItem[], ctx: BuildContext): ItemSeed[] {
  const end = ctx.rollbackEndedAt.getTime();
  const seeds: Omit<ItemSeed, "position">[] = [];
  for (const section of SECTIONS) {
    for (const item of template) {
      if (item.section !== section || (item.onlyWhenRestore && !ctx.restoreRan)) continue;
      const timing = {
        notBefore: item.notBeforeHours !== undefined ? new Date(end + item.notBeforeHours * HOUR) : null,
        dueAt: item.dueMinutes !== undefined ? new Date(end + item.dueMinutes * 60_000) : null,
      };
      const base = { section, metric: null, tolerance: null, absoluteMax: null, ...timing };
      if (item.kind === "CRITICAL_FEATURES") {
        if (ctx.features.length === 0) {
          seeds.push({
            ...base,
            key: item.key,
            label: `${item.label} (no critical features are configured for this service)`,
            description: item.description,
            kind: "FEATURE",
          });
        }
        for (const f of ctx.features) {
          seeds.push({ ...base, key: `feature:${f.id}`, label: f.name, description: f.description || item.description, kind: "FEATURE" });
        }
        continue;
      }
      seeds.push({
        ...base,
        key: item.key,
        label: item.label,
        description: item.description,
        kind: item.kind,
        metric: item.metric ?? null,
        tolerance: item.tolerance ?? null,
        absoluteMax: item.absoluteMax ?? null,
      });
    }
  }
  return seeds.map((s, position) => ({ ...s, position }));
}
