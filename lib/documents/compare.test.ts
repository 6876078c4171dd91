import { describe, expect, it } from "vitest";
import { compareFields, compareLines, compareVersions } from "./compare";

describe("compareFields", () => {
  it("is empty for equal values, whatever the key order", () => {
    expect(compareFields({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it("lists changed, added and removed leaves by path, into lists by index", () => {
    const before = { title: "Report", totals: { PASSED: 1, FAILED: 0 }, rows: [{ label: "CPU", status: "PENDING" }], waiver: null };
    const after = {
      title: "Report",
      totals: { PASSED: 2, FAILED: 0 },
      rows: [
        { label: "CPU", status: "PASSED", note: 'said "ok"' },
        { label: "Disk", status: "PENDING" },
      ],
    };
    expect(compareFields(before, after)).toEqual([
      { field: "totals.PASSED", before: "1", after: "2" },
      { field: "rows[0].status", before: '"PENDING"', after: '"PASSED"' },
      { field: "waiver", before: "null", after: "(not set)" },
      { field: "rows[0].note", before: "(not set)", after: '"said "ok""' },
      { field: "rows[1].label", before: "(not set)", after: '"Disk"' },
      { field: "rows[1].status", before: "(not set)", after: '"PENDING"' },
    ]);
  });

  it("compares lists whole when asked, under a prefix", () => {
    expect(compareFields({ argv: ["a", "b"] }, { argv: ["a", "c"] }, { prefix: "config", arrays: "whole" })).toEqual([
      { field: "config.argv", before: '["a","b"]', after: '["a","c"]' },
    ]);
  });
});

describe("compareLines", () => {
  it("gives runs of same, removed and added lines", () => {
    expect(compareLines("# T\n\na\nb\nc\n", "# T\n\na\nB\nc\nd\n")).toEqual([
      { kind: "same", lines: ["# T", "", "a"] },
      { kind: "removed", lines: ["b"] },
      { kind: "added", lines: ["B"] },
      { kind: "same", lines: ["c"] },
      { kind: "added", lines: ["d"] },
    ]);
  });
});

describe("compareVersions", () => {
  it("counts the lines added and removed and lists the fields", () => {
    const c = compareVersions({ content: { n: 1 }, markdown: "a\nb\n" }, { content: { n: 2 }, markdown: "a\nc\nd\n" });
    expect([c.added, c.removed]).toEqual([2, 1]);
    expect(c.fields).toEqual([{ field: "n", before: "1", after: "2" }]);
    expect(compareVersions({ content: {}, markdown: "x\n" }, { content: {}, markdown: "x\n" })).toMatchObject({
      fields: [],
      added: 0,
      removed: 0,
    });
  });
});
