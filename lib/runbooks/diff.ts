// What changed between two versions of a runbook, step by step, for the version history.
// Steps are matched by their ID (key); a step whose ID changed reads as removed + added. Pure.
import type { PlanStep } from "@/lib/rollback/plans";

export type FieldChange = { field: string; before: string; after: string };

export type StepChange =
  | { kind: "added"; key: string; name: string; position: number; executor: string }
  | { kind: "removed"; key: string; name: string; position: number; executor: string }
  | { kind: "moved"; key: string; name: string; from: number; to: number }
  | { kind: "changed"; key: string; name: string; position: number; fields: FieldChange[] };

const NOT_SET = "(not set)";

function show(value: unknown): string {
  if (value === undefined) return NOT_SET;
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

/** Config leaves by dotted path; arrays are compared whole (an argv reads best as one list). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

function fieldChanges(a: PlanStep, b: PlanStep): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ["name", "executor", "destructive", "changesTraffic", "optional"] as const) {
    if (a[field] !== b[field]) changes.push({ field, before: show(a[field]), after: show(b[field]) });
  }
  const before = flatten(a.config, "config", new Map());
  const after = flatten(b.config, "config", new Map());
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(path);
    const y = after.get(path);
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ field: path, before: show(x), after: show(y) });
  }
  return changes;
}

/** The longest common subsequence of two key lists: the steps that kept their relative order. */
function stableKeys(a: string[], b: string[]): Set<string> {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const keep = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      keep.add(a[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return keep;
}

export function diffSteps(before: PlanStep[], after: PlanStep[]): StepChange[] {
  const oldIndex = new Map(before.map((s, i) => [s.key, i]));
  const newIndex = new Map(after.map((s, i) => [s.key, i]));
  const common = (steps: PlanStep[], other: Map<string, number>) => steps.map((s) => s.key).filter((k) => other.has(k));
  const stable = stableKeys(common(before, newIndex), common(after, oldIndex));
  const changes: StepChange[] = [];

  before.forEach((s, i) => {
    if (!newIndex.has(s.key)) changes.push({ kind: "removed", key: s.key, name: s.name, position: i + 1, executor: s.executor });
  });
  after.forEach((s, i) => {
    const was = oldIndex.get(s.key);
    if (was === undefined) {
      changes.push({ kind: "added", key: s.key, name: s.name, position: i + 1, executor: s.executor });
      return;
    }
    if (!stable.has(s.key)) changes.push({ kind: "moved", key: s.key, name: s.name, from: was + 1, to: i + 1 });
    const fields = fieldChanges(before[was], s);
    if (fields.length > 0) changes.push({ kind: "changed", key: s.key, name: s.name, position: i + 1, fields });
  });
  return changes;
}

/** One line per change, for a plain-text summary (audit details, tests). */
export function describeChange(c: StepChange): string {
  switch (c.kind) {
    case "added":
      return `added step ${c.position} “${c.name}” (${c.executor.toLowerCase()})`;
    case "removed":
      return `removed “${c.name}” (was step ${c.position})`;
    case "moved":
      return `moved “${c.name}” from step ${c.from} to ${c.to}`;
    case "changed":
      return `changed “${c.name}”: ${c.fields.map((f) => `${f.field} ${f.before} → ${f.after}`).join("; ")}`;
  }
}
