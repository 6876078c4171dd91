import { describe, expect, it } from "vitest";
import { DEFAULT_CHECKLIST_EVALUATE_MS, jobRunnerOptionsFromEnv } from "./runner";
import { buildTaskList } from "./tasks";

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

describe("buildTaskList", () => {
  it("takes a checklist's first evaluation where it runs the periodic one (BACKOUT_CHECKLIST_EVALUATOR=0 turns both off)", () => {
    const names = (opts: Parameters<typeof buildTaskList>[0]) => Object.keys(buildTaskList(opts)).sort();
    const always = ["action_items.overdue", "live.prune", "metrics.retention", "notification.deliver", "rollback.summary"];
    expect(names({ checklistEvaluateMs: 15_000 })).toEqual([...always, "checklist.evaluate", "checklist.first_evaluation"].sort());
    expect(names({ checklistEvaluateMs: null })).toEqual(always);
    // The tests' runner: the one-off first evaluation, not the chain that reschedules itself.
    expect(names({ checklistEvaluateMs: null, checklistFirstEvaluation: true })).toEqual([...always, "checklist.first_evaluation"].sort());
  });
});
