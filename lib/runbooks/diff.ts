// What changed between two versions of a runbook, step by step, for the version history.
// Steps are matched by their ID (key); a step whose ID changed reads as removed + added. Pure.
import { diffArrays } from "diff";
import { compareFields, type FieldChange, showValue } from "@/lib/documents/compare";
import type { PlanStep } from "@/lib/rollback/plans";

export type { FieldChange };

export type StepChange =
  | { kind: "added"; key: string; name: string; position: number; executor: string }
  | { kind: "removed"; key: string; name: string; position: number; executor: string }
  | { kind: "moved"; key: string; name: string; from: number; to: number }
  | { kind: "changed"; key: string; name: string; position: number; fields: FieldChange[] };

function fieldChanges(a: PlanStep, b: PlanStep): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ["name", "executor", "destructive", "changesTraffic", "optional"] as const) {
    if (a[field] !== b[field]) changes.push({ field, before: showValue(a[field]), after: showValue(b[field]) });
  }
  // Config leaves by dotted path; arrays are compared whole (an argv reads best as one list).
  return [...changes, ...compareFields(a.config, b.config, { prefix: "config", arrays: "whole" })];
}

/** The longest common subsequence of two key lists: the steps that kept their relative order. */
function stableKeys(a: string[], b: string[]): Set<string> {
  return new Set(diffArrays(a, b).flatMap((part) => (part.added || part.removed ? [] : part.value)));
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
