// Comparing two versions: the structured content field by field (what changed, as before → after)
// and the rendered Markdown line by line (jsdiff). Runbook versions use the same field comparison
// for their step configurations. Pure.
import { diffLines } from "diff";

export type FieldChange = { field: string; before: string; after: string };

const NOT_SET = "(not set)";

/** A value as the comparison shows it: strings quoted, the rest as JSON, a missing one as "(not set)". */
export function showValue(value: unknown): string {
  if (value === undefined) return NOT_SET;
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

type Arrays = "whole" | "items";

/**
 * Leaves by path ("a.b", "steps[2].name"); with arrays "whole" a list is one leaf. An empty object
 * or list has no leaves, so adding its first entry reads as that entry, not as two changes.
 */
function flatten(value: unknown, path: string, arrays: Arrays, out: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(value) && arrays === "items") {
    value.forEach((v, i) => {
      flatten(v, `${path}[${i}]`, arrays, out);
    });
  } else if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, arrays, out);
  } else out.set(path, value);
  return out;
}

/**
 * The leaves that differ between two JSON values, in the order they appear (before's, then the
 * ones only after has). `arrays: "whole"` compares lists as one value (an argv reads best whole);
 * "items" goes into them by index (a document's rows).
 */
export function compareFields(before: unknown, after: unknown, opts: { prefix?: string; arrays?: Arrays } = {}): FieldChange[] {
  const arrays = opts.arrays ?? "items";
  const a = flatten(before, opts.prefix ?? "", arrays, new Map());
  const b = flatten(after, opts.prefix ?? "", arrays, new Map());
  const changes: FieldChange[] = [];
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(field);
    const y = b.get(field);
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ field, before: showValue(x), after: showValue(y) });
  }
  return changes;
}

export type LineChange = { kind: "same" | "added" | "removed"; lines: string[] };

/** The Markdown of two versions line by line: runs of unchanged, removed and added lines. */
export function compareLines(before: string, after: string): LineChange[] {
  return diffLines(before, after).map((part) => ({
    kind: part.added ? "added" : part.removed ? "removed" : "same",
    lines: part.value.replace(/\n$/, "").split("\n"),
  }));
}

export type VersionComparison = {
  fields: FieldChange[];
  lines: LineChange[];
  /** Lines added and removed in the Markdown. */
  added: number;
  removed: number;
};

export function compareVersions(
  before: { content: unknown; markdown: string },
  after: { content: unknown; markdown: string },
): VersionComparison {
  const lines = compareLines(before.markdown, after.markdown);
  const count = (kind: LineChange["kind"]) => lines.filter((l) => l.kind === kind).reduce((n, l) => n + l.lines.length, 0);
  return { fields: compareFields(before.content, after.content), lines, added: count("added"), removed: count("removed") };
}
