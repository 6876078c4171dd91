import { describe, expect, it } from "vitest";
import { parseDumpHeader } from "./backup-header";
import { formatAge, formatBytes } from "./format";
import {
  amberStepKeys,
  checksForPlan,
  failedChecks,
  PROPOSAL_READINESS_MAX_AGE_MS,
  READINESS_MAX_AGE_MS,
  READINESS_POLL_MS,
  type ReadinessCheck,
  rollup,
} from "./types";

const check = (over: Partial<ReadinessCheck>): ReadinessCheck => ({
  id: "r1:secrets",
  kind: "secrets",
  runbookId: "r1",
  runbookName: "Blue-green",
  strategy: "BLUE_GREEN",
  stepKeys: [],
  label: "Secrets set",
  result: "pass",
  summary: "",
  numbers: {},
  checkedAt: "2026-12-05T22:00:00.000Z",
  durationMs: 1,
  ...over,
});

describe("readiness rules", () => {
  it("is red when anything fails, amber when something is not configured, green when all pass", () => {
    expect(rollup([])).toBe("unknown");
    expect(rollup([check({}), check({ result: "pass" })])).toBe("green");
    expect(rollup([check({}), check({ result: "not_configured" })])).toBe("amber");
    expect(rollup([check({ result: "not_configured" }), check({ result: "fail" })])).toBe("red");
  });

  it("keeps the checks of the plan's runbook, or of its strategy for a template plan", () => {
    const checks = [
      check({ id: "a", runbookId: "r1" }),
      check({ id: "b", runbookId: "r2", strategy: "DATABASE_RESTORE" }),
      check({ id: "c", runbookId: null, strategy: null }),
    ];
    expect(checksForPlan(checks, "BLUE_GREEN", "r1").map((c) => c.id)).toEqual(["a"]);
    expect(checksForPlan(checks, "DATABASE_RESTORE", null).map((c) => c.id)).toEqual(["b", "c"]);
  });

  it("turns amber only the steps a failed check is about", () => {
    const checks = [
      check({ result: "fail", stepKeys: ["verify-target-health"] }),
      check({ result: "not_configured", stepKeys: ["verify-backup"] }),
      check({ result: "pass", stepKeys: ["switch-traffic"] }),
    ];
    expect([...amberStepKeys(checks)]).toEqual(["verify-target-health"]);
    expect(failedChecks(checks)).toHaveLength(1);
  });
});

describe("readiness words", () => {
  it("sizes and ages as people read them", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(2_100_000_000)).toBe("2.1 GB");
    expect(formatBytes(312_000_000)).toBe("312 MB");
    expect(formatAge((3 * 60 + 12) * 60_000)).toBe("3 h 12 min old");
  });
});

describe("pg_dump header", () => {
  it("is not read from anything that does not start with PGDMP, and a cut-off header still gives its version", () => {
    expect(parseDumpHeader(Buffer.from("PGDMX\x01\x0e\x00\x04\x08\x01"))).toBeNull();
    expect(parseDumpHeader(Buffer.from([0x50, 0x47, 0x44, 0x4d, 0x50, 1, 14, 0, 4, 8, 1]))).toEqual({
      archiveVersion: "1.14.0",
      format: "custom",
      database: null,
      dumpVersion: null,
    });
  });
});

describe("how fresh the checks are kept", () => {
  it("an open page's checks are never older than a proposal accepts, so proposing from it does not run them again", () => {
    // The oldest result a polling page leaves behind: just under the max age when a poll served it,
    // then one poll interval until the next poll re-runs it.
    expect(READINESS_MAX_AGE_MS + READINESS_POLL_MS).toBeLessThanOrEqual(PROPOSAL_READINESS_MAX_AGE_MS);
  });
});
