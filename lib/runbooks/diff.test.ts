import { describe, expect, it } from "vitest";
import { type PlanStep, parsePlan } from "@/lib/rollback/plans";
import { describeChange, diffSteps } from "./diff";

const steps = (...list: Partial<PlanStep>[]): PlanStep[] =>
  parsePlan(list.map((s) => ({ executor: "WAIT", config: { seconds: 1 }, name: s.key, ...s })));

describe("runbook diff", () => {
  it("is empty for the same steps", () => {
    const a = steps({ key: "a" }, { key: "b" });
    expect(diffSteps(a, a)).toEqual([]);
  });

  it("says which steps were added, removed, moved and what changed in a step", () => {
    const before = steps(
      { key: "a" },
      { key: "b" },
      { key: "c", executor: "HTTP", config: { url: "http://x/1", headers: { accept: "json" } } },
      { key: "d" },
    );
    const after = steps(
      { key: "c", executor: "HTTP", config: { url: "http://x/2", headers: { accept: "json" }, timeoutMs: 5000 }, destructive: true },
      { key: "a" },
      { key: "b", name: "Bee" },
      { key: "e" },
    );
    expect(diffSteps(before, after).map(describeChange)).toEqual([
      "removed “d” (was step 4)",
      "moved “c” from step 3 to 1",
      'changed “c”: destructive false → true; config.url "http://x/1" → "http://x/2"; config.timeoutMs (not set) → 5000',
      'changed “Bee”: name "b" → "Bee"',
      "added step 4 “e” (wait)",
    ]);
  });

  it("compares lists whole", () => {
    const before = steps({ key: "cmd", executor: "COMMAND", config: { argv: ["systemctl", "stop", "a"] } });
    const after = steps({ key: "cmd", executor: "COMMAND", config: { argv: ["systemctl", "stop", "b"] } });
    expect(diffSteps(before, after).map(describeChange)).toEqual([
      'changed “cmd”: config.argv ["systemctl","stop","a"] → ["systemctl","stop","b"]',
    ]);
  });
});
