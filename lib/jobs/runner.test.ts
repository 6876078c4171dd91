import { describe, expect, it } from "vitest";
import { DEFAULT_CHECKLIST_EVALUATE_MS, jobRunnerOptionsFromEnv } from "./runner";

describe("jobRunnerOptionsFromEnv", () => {
  it("runs every job by default, evaluating checklists every 15 s", () => {
    expect(jobRunnerOptionsFromEnv({})).toEqual({ checklistEvaluateMs: DEFAULT_CHECKLIST_EVALUATE_MS });
    expect(DEFAULT_CHECKLIST_EVALUATE_MS).toBe(15_000);
  });

  it("keeps the interval and the switches of the evaluator", () => {
    expect(jobRunnerOptionsFromEnv({ BACKOUT_CHECKLIST_EVALUATE_MS: "5000" })).toEqual({ checklistEvaluateMs: 5000 });
    expect(jobRunnerOptionsFromEnv({ BACKOUT_CHECKLIST_EVALUATOR: "0", BACKOUT_CHECKLIST_EVALUATE_MS: "5000" })).toEqual({
      checklistEvaluateMs: null,
    });
    expect(jobRunnerOptionsFromEnv({ BACKOUT_JOBS: "0" })).toBeNull();
  });

  it("refuses an interval that is not a whole number of at least a second, naming the variable", () => {
    for (const bad of ["15s", "0", "-1", "999", "1.5e3x", "2500.5"]) {
      expect(() => jobRunnerOptionsFromEnv({ BACKOUT_CHECKLIST_EVALUATE_MS: bad })).toThrow(/^BACKOUT_CHECKLIST_EVALUATE_MS must be/);
    }
  });
});
