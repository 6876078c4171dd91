import { describe, expect, it } from "vitest";
import { buildChecklistItems, DEFAULT_TEMPLATE, describeTemplateIssues, SECTIONS, templateItemsSchema } from "./template-schema";

const ended = new Date("2026-11-26T10:00:00Z");
const features = [
  { id: "f1", name: "Users can log in", description: "" },
  { id: "f2", name: "Users can complete purchases", description: "Place a test order" },
];

describe("the default template", () => {
  it("is valid against the schema admins' templates must pass", () => {
    expect(templateItemsSchema.safeParse(DEFAULT_TEMPLATE).success).toBe(true);
  });

  it("lists the issue's checks, one critical-functionality item per feature with a test result, in section order", () => {
    const items = buildChecklistItems(DEFAULT_TEMPLATE, { features, restoreRan: false, rollbackEndedAt: ended });
    expect(items.map((i) => i.position)).toEqual(items.map((_, n) => n));
    const order = items.map((i) => SECTIONS.indexOf(i.section as (typeof SECTIONS)[number]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        "Error rate back to baseline",
        "p99 latency within range of baseline",
        "p95 latency within range of baseline",
        "Throughput back to baseline",
        "CPU usage within normal range",
        "Memory usage within normal range",
        "Disk usage within normal range",
        "Connection pool healthy",
        "Query performance normal",
        "No errors in database logs",
        "Replication working",
        "Backups running",
        "Users affected",
        "Support tickets outstanding",
        "No new incidents",
        "Metrics stable",
        "No unusual log patterns",
      ]),
    );
    const featureItems = items.filter((i) => i.section === "CRITICAL_FUNCTIONALITY");
    expect(featureItems.map((i) => [i.key, i.label, i.kind])).toEqual([
      ["feature:f1", "Users can log in", "FEATURE"],
      ["feature:f2", "Users can complete purchases", "FEATURE"],
    ]);
    expect(featureItems[1].description).toBe("Place a test order");
    const errorRate = items.find((i) => i.key === "system.error-rate");
    expect(errorRate).toMatchObject({ kind: "METRIC", metric: "ERROR_RATE", absoluteMax: 0.01, tolerance: null });
    expect(items.find((i) => i.key === "system.cpu")?.kind).toBe("CHECK");
  });

  it("includes data integrity only when a restore ran; user impact due an hour and stability open 24 h after the rollback", () => {
    const without = buildChecklistItems(DEFAULT_TEMPLATE, { features, restoreRan: false, rollbackEndedAt: ended });
    const withRestore = buildChecklistItems(DEFAULT_TEMPLATE, { features, restoreRan: true, rollbackEndedAt: ended });
    expect(without.some((i) => i.section === "DATA_INTEGRITY")).toBe(false);
    expect(withRestore.filter((i) => i.section === "DATA_INTEGRITY").map((i) => i.label)).toEqual([
      "Lost transactions identified and quantified",
      "Affected users notified",
      "Need for manual recovery decided",
    ]);
    for (const i of without.filter((x) => x.section === "USER_IMPACT")) {
      expect(i.dueAt?.toISOString()).toBe("2026-11-26T11:00:00.000Z");
      expect(i.notBefore).toBeNull();
    }
    for (const i of without.filter((x) => x.section === "STABILITY")) expect(i.notBefore?.toISOString()).toBe("2026-11-27T10:00:00.000Z");
    expect(without.filter((x) => x.section === "SYSTEM_HEALTH").every((i) => i.notBefore === null && i.dueAt === null)).toBe(true);
  });

  it("says so when the service has no critical features", () => {
    const items = buildChecklistItems(DEFAULT_TEMPLATE, { features: [], restoreRan: false, rollbackEndedAt: ended });
    const f = items.filter((i) => i.section === "CRITICAL_FUNCTIONALITY");
    expect(f).toHaveLength(1);
    expect(f[0].label).toMatch(/no critical features are configured/);
  });
});

describe("template validation", () => {
  const issues = (value: unknown) => {
    const r = templateItemsSchema.safeParse(value);
    return r.success ? [] : describeTemplateIssues(r.error);
  };

  it("refuses a metric item without its metric or limit, and limits on non-metric items", () => {
    expect(issues([{ key: "a", section: "SYSTEM_HEALTH", label: "Latency", kind: "METRIC" }])).toEqual([
      "item 1 (metric): a METRIC item names its metric",
      "item 1 (tolerance): a METRIC item needs a tolerance against baseline, an absoluteMax, or both",
    ]);
    expect(issues([{ key: "a", section: "SYSTEM_HEALTH", label: "CPU", kind: "CHECK", tolerance: 0.1 }])).toEqual([
      "item 1 (tolerance): only METRIC items have tolerance",
    ]);
  });

  it("refuses duplicate keys, unknown sections and fields, and an empty template", () => {
    const a = { key: "a", section: "SYSTEM_HEALTH", label: "A", kind: "CHECK" };
    expect(issues([a, a])).toEqual(["item 2 (key): the key a is used twice"]);
    expect(issues([{ ...a, section: "VIBES" }])[0]).toMatch(/^item 1 \(section\): section must be one of SYSTEM_HEALTH/);
    expect(issues([{ ...a, colour: "red" }])[0]).toMatch(/^item 1: .*colour/);
    expect(issues([])).toEqual(["template: a template has at least one item"]);
    expect(issues([{ ...a, key: "Bad Key" }])[0]).toMatch(/^item 1 \(key\)/);
  });

  it("keeps CRITICAL_FEATURES in its section", () => {
    expect(issues([{ key: "f", section: "STABILITY", label: "F", kind: "CRITICAL_FEATURES" }])).toEqual([
      "item 1 (section): CRITICAL_FEATURES belongs in the CRITICAL_FUNCTIONALITY section",
    ]);
  });
});
