// What a rollback step can see of the server, and what of it is stored where every role reads it:
// real command steps run by the real worker against a real database. A step running `env` must not
// find AUTH_SECRET (enough to forge a session) or DATABASE_URL; a secret the runbook hands to a step
// and the step prints is stored as [redacted] in the log lines, the result, the timeline and the audit.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { approvedDecision } from "@/lib/testing/rollback";
import { requestStep } from "./runs";
import { StepWorker } from "./worker";

const db = () => getDb();
const AUTH_SECRET = "auth-secret-for-the-step-environment-test-5d1c";
const DEPLOY_KEY = "deploy-key-only-for-this-step-93ab";
const saved = { AUTH_SECRET: process.env.AUTH_SECRET, DEPLOY_KEY: process.env.BACKOUT_TEST_DEPLOY_KEY };
let tmp: string;
let worker: StepWorker;

beforeAll(async () => {
  process.env.AUTH_SECRET = AUTH_SECRET;
  process.env.BACKOUT_TEST_DEPLOY_KEY = DEPLOY_KEY;
  tmp = await mkdtemp(path.join(os.tmpdir(), "backout-step-env-"));
  worker = new StepWorker({ pollMs: 100, heartbeatMs: 300, workDir: tmp });
  await worker.start();
});
afterAll(async () => {
  await worker.stop();
  await rm(tmp, { recursive: true, force: true });
  for (const [name, value] of [
    ["AUTH_SECRET", saved.AUTH_SECRET],
    ["BACKOUT_TEST_DEPLOY_KEY", saved.DEPLOY_KEY],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Runs a one-step plan to its end through the worker; returns everything stored about it. */
async function runStep(config: Record<string, unknown>) {
  const { steps, operator, incident } = await approvedDecision([{ key: "step", name: "The step", executor: "COMMAND", config }]);
  const step = steps[0];
  await requestStep(operator, { stepId: step.id, idempotencyKey: randomUUID() });
  const until = Date.now() + 20_000;
  for (;;) {
    const s = await db().rollbackStep.findUniqueOrThrow({ where: { id: step.id } });
    if (s.state === "SUCCEEDED" || s.state === "FAILED") break;
    if (Date.now() > until) throw new Error(`the step is still ${s.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const [stored, lines, executions, timeline, audit] = await Promise.all([
    db().rollbackStep.findUniqueOrThrow({ where: { id: step.id } }),
    db().stepLogLine.findMany({ where: { stepId: step.id }, orderBy: { id: "asc" } }),
    db().stepExecution.findMany({ where: { stepId: step.id } }),
    db().timelineEvent.findMany({ where: { incidentId: incident.id } }),
    db().auditLog.findMany({ where: { incidentId: incident.id } }),
  ]);
  // Everything written while the step ran (the step's config, written by the test, aside).
  const { config: _config, ...result } = stored;
  return {
    step: stored,
    stdout: lines.filter((l) => l.stream === "STDOUT").map((l) => l.line),
    everything: JSON.stringify({ result, lines, executions, timeline, audit }, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
  };
}

describe("a command step's environment", () => {
  it("`env` shows the base and the step's own variables: neither AUTH_SECRET nor DATABASE_URL, the secret as [redacted]", async () => {
    expect(process.env.DATABASE_URL).toBeTruthy();
    const { step, stdout, everything } = await runStep({
      argv: ["env"],
      env: { TARGET: "blue" },
      secretEnv: { DEPLOY_KEY: "BACKOUT_TEST_DEPLOY_KEY" },
    });
    expect(step.state).toBe("SUCCEEDED");
    expect(stdout.map((l) => l.split("=")[0]).sort()).toEqual(
      ["PATH", "HOME", "LANG", "TARGET", "DEPLOY_KEY"].filter((n) => n === "TARGET" || n === "DEPLOY_KEY" || process.env[n]).sort(),
    );
    expect(stdout).toContain("DEPLOY_KEY=[redacted]");
    for (const leaked of ["AUTH_SECRET", "DATABASE_URL", AUTH_SECRET, DEPLOY_KEY, String(process.env.DATABASE_URL)]) {
      expect(everything).not.toContain(leaked);
    }
  });

  it("a secret that reaches the output another way (a failure message, the argv) is stored as [redacted] everywhere", async () => {
    // The program's name carries the secrets: the executor's own failure text and the worker's summary, timeline and audit repeat it.
    const { step, everything } = await runStep({
      argv: [`/nonexistent/${AUTH_SECRET}/${DEPLOY_KEY}`],
      secretEnv: { DEPLOY_KEY: "BACKOUT_TEST_DEPLOY_KEY" },
    });
    expect(step.state).toBe("FAILED");
    expect(step.error).toContain("[redacted]");
    expect(everything).not.toContain(AUTH_SECRET);
    expect(everything).not.toContain(DEPLOY_KEY);
  });
});
