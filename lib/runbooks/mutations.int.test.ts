import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { approveDecision, proposeDecision } from "@/lib/decision/mutations";
import { ConflictError, ForbiddenError, InvalidInputError, StaleError } from "@/lib/errors";
import { declareIncident } from "@/lib/incidents/mutations";
import { startRun } from "@/lib/rollback/engine/runs";
import { parsePlan } from "@/lib/rollback/plans";
import { makeService, makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import {
  archiveRunbookChange,
  createRunbook,
  createRunbookChange,
  RunbookInvalidError,
  saveRunbookChange,
  saveRunbookVersion,
  setRunbookArchived,
  unarchiveRunbookChange,
  validateRunbookChange,
  validateRunbookDraft,
} from "./mutations";
import { getRunbookWithHistory } from "./queries";

const db = () => getDb();

const wait = (key: string, seconds: number) => ({ key, name: `Wait ${key}`, executor: "WAIT", config: { seconds } });
const echo = (key: string, text: string) => ({ key, name: `Echo ${key}`, executor: "COMMAND", config: { argv: ["echo", text] } });

async function customRunbook(admin: Actor, serviceId: string, steps: unknown[] = [wait("pause", 1), echo("say", "v1")]) {
  return createRunbook(admin, { serviceId, name: `Custom ${randomUUID().slice(0, 6)}`, strategy: "CUSTOM", steps });
}

async function auditRows(entityId: string) {
  return db().auditLog.findMany({ where: { entityId }, orderBy: { id: "asc" } });
}

describe("creating a runbook", () => {
  it("writes version 1 by its author, with an audit row", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const { runbook, version } = await customRunbook(admin, service.id);
    expect(version).toBe(1);
    const stored = await db().runbook.findUniqueOrThrow({ where: { id: runbook.id }, include: { versions: true } });
    expect(stored).toMatchObject({ strategy: "CUSTOM", currentVersion: 1, archivedAt: null });
    expect(stored.versions).toHaveLength(1);
    expect(stored.versions[0]).toMatchObject({ version: 1, createdById: admin.id });
    expect(parsePlan(stored.versions[0].steps).map((s) => s.key)).toEqual(["pause", "say"]);
    const audit = await auditRows(runbook.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "runbook.create", outcome: "ALLOWED", actorId: admin.id });
  });

  it("refuses non-admins, audits the attempt as DENIED, and writes nothing", async () => {
    const service = await makeService();
    for (const role of ["RELEASE_MANAGER", "RESPONDER", "VIEWER"] as const) {
      const user = await makeUser(role);
      await expect(
        createRunbook(user, { serviceId: service.id, name: "Sneaky", strategy: "CUSTOM", steps: [wait("w", 1)] }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(validateRunbookDraft(user, { serviceId: service.id, strategy: "CUSTOM", steps: [] })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      const denied = await db().auditLog.findMany({ where: { actorId: user.id, outcome: "DENIED" } });
      expect(denied.map((a) => a.action).sort()).toEqual(["runbook.create", "runbook.validate"]);
    }
    expect(await db().runbook.count({ where: { serviceId: service.id } })).toBe(0);

    const admin = await makeUser("ADMIN");
    const { runbook } = await customRunbook(admin, service.id);
    const rm = await makeUser("RELEASE_MANAGER");
    await expect(saveRunbookVersion(rm, { runbookId: runbook.id, baseVersion: 1, steps: [wait("w", 2)] })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(setRunbookArchived(rm, { runbookId: runbook.id, archived: true })).rejects.toBeInstanceOf(ForbiddenError);
    expect(
      (await db().auditLog.findMany({ where: { actorId: rm.id, outcome: "DENIED", entityId: runbook.id } })).map((a) => a.action).sort(),
    ).toEqual(["runbook.archive", "runbook.save"]);
    expect(await db().runbook.findUniqueOrThrow({ where: { id: runbook.id } })).toMatchObject({ currentVersion: 1, archivedAt: null });
    expect(await db().runbookVersion.count({ where: { runbookId: runbook.id } })).toBe(1);
  });

  it("refuses each executor's bad settings with that executor's message, and writes nothing", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const bad: [unknown, string, string][] = [
      [
        { key: "s", name: "Switch", executor: "HTTP", config: { url: "ftp://router" } },
        "steps.0.config.url",
        "must be an absolute http:// or https:// URL",
      ],
      [{ key: "s", name: "Stop", executor: "COMMAND", config: { argv: [] } }, "steps.0.config.argv", "needs at least the program to run"],
      [
        { key: "s", name: "Check", executor: "POSTGRES", config: { operation: "integrity", databaseUrlEnv: "DB" } },
        "steps.0.config.tables",
        "an integrity check needs tables that must exist or row counts to check",
      ],
      [
        { key: "s", name: "Probe", executor: "HEALTH_CHECK", config: { urls: ["not a url"] } },
        "steps.0.config.urls.0",
        "must be an absolute http:// or https:// URL",
      ],
      [{ key: "s", name: "Pause", executor: "WAIT", config: { seconds: 0 } }, "steps.0.config.seconds", "must be at least 1 second"],
      [
        { key: "s", name: "Verify", executor: "VERIFY_METRICS", config: { maxP99Ms: -1 } },
        "steps.0.config.maxP99Ms",
        "must be more than 0 ms",
      ],
      [
        { key: "s", name: "Tell", executor: "NOTIFY", config: { webhookUrlEnv: "https://hooks.example/x" } },
        "steps.0.config.webhookUrlEnv",
        "must be the NAME of an environment variable (not a URL)",
      ],
      [
        {
          key: "s",
          name: "Flag off",
          executor: "FLAG_DISABLE",
          config: { baseUrl: "http://unleash", flag: "new flow", environment: "production", tokenEnv: "UNLEASH_TOKEN" },
        },
        "steps.0.config.flag",
        "must be the feature flag's name: letters, digits, -, _, . or ~",
      ],
    ];
    for (const [step, path, message] of bad) {
      const attempt = createRunbook(admin, { serviceId: service.id, name: "Bad", strategy: "CUSTOM", steps: [step] });
      await expect(attempt).rejects.toBeInstanceOf(RunbookInvalidError);
      const error = (await attempt.catch((e) => e)) as RunbookInvalidError;
      expect(error.issues).toContainEqual({ path, severity: "error", message });
      expect(error.message).toContain(message);
    }
    expect(await db().runbook.count({ where: { serviceId: service.id } })).toBe(0);
    // Each refused save is one DENIED row naming the problems (paths and messages, no values).
    const denied = await db().auditLog.findMany({ where: { actorId: admin.id }, orderBy: { id: "asc" } });
    expect(denied.map((a) => [a.action, a.outcome])).toEqual(bad.map(() => ["runbook.create", "DENIED"]));
    expect(denied.map((a) => a.details)).toMatchObject(
      bad.map(([, path, message]) => ({ code: "invalid", field: path, issues: expect.arrayContaining([{ path, message }]) })),
    );
  });

  it("refuses a secret written into a step, saves a secret named by an unset variable with a warning", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const literal = {
      key: "flags",
      name: "Flags off",
      executor: "HTTP",
      config: { url: "http://flags/off", method: "POST", headers: { "X-Api-Key": "k3y" } },
    };
    await expect(createRunbook(admin, { serviceId: service.id, name: "Flags", strategy: "CUSTOM", steps: [literal] })).rejects.toThrow(
      /Looks like a secret \(a literal X-Api-Key header\)/,
    );
    expect(await db().runbook.count({ where: { serviceId: service.id } })).toBe(0);
    // The refusal is audited without the secret it refused.
    const [denied] = await db().auditLog.findMany({ where: { actorId: admin.id, outcome: "DENIED" } });
    expect(denied.details).toMatchObject({ code: "invalid", field: "steps.0.config.headers.X-Api-Key" });
    expect(JSON.stringify(denied.details)).not.toContain("k3y");

    const byName = { ...literal, config: { url: "http://flags/off", method: "POST", secretHeaders: { "X-Api-Key": "NOT_SET_FLAGS_KEY" } } };
    const { runbook, warnings } = await createRunbook(admin, { serviceId: service.id, name: "Flags", strategy: "CUSTOM", steps: [byName] });
    expect(warnings).toEqual([
      {
        path: "steps.0.config.secretHeaders.X-Api-Key",
        severity: "warning",
        message: "NOT_SET_FLAGS_KEY (the X-Api-Key header) is not set on this server: the step will stop as not configured until it is.",
      },
    ]);
    expect(await db().runbookVersion.count({ where: { runbookId: runbook.id } })).toBe(1);
  });

  it("refuses a second runbook of the same name on a service", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    await createRunbook(admin, { serviceId: service.id, name: "Same", strategy: "CUSTOM", steps: [wait("w", 1)] });
    await expect(createRunbook(admin, { serviceId: service.id, name: "Same", strategy: "CUSTOM", steps: [wait("w", 1)] })).rejects.toThrow(
      "This service already has a runbook called “Same”",
    );
  });
});

describe("saving a runbook", () => {
  it("writes an immutable version + 1 and moves the current version, with the changes in the audit row", async () => {
    const admin = await makeUser("ADMIN");
    const other = await makeUser("ADMIN");
    const service = await makeService();
    const { runbook } = await customRunbook(admin, service.id);
    const { version } = await saveRunbookVersion(other, {
      runbookId: runbook.id,
      baseVersion: 1,
      steps: [echo("say", "v2"), wait("pause", 2)],
      note: "say first",
    });
    expect(version).toMatchObject({ version: 2, createdById: other.id, note: "say first" });
    expect((await db().runbook.findUniqueOrThrow({ where: { id: runbook.id } })).currentVersion).toBe(2);
    const v1 = await db().runbookVersion.findUniqueOrThrow({ where: { runbookId_version: { runbookId: runbook.id, version: 1 } } });
    expect(parsePlan(v1.steps).map((s) => s.config)).toEqual([{ seconds: 1 }, { argv: ["echo", "v1"] }]);
    const [, save] = await auditRows(runbook.id);
    expect(save).toMatchObject({ action: "runbook.save", outcome: "ALLOWED", actorId: other.id });
    expect((save.details as { changes: string[] }).changes).toEqual([
      'changed “Echo say”: config.argv ["echo","v1"] → ["echo","v2"]',
      "moved “Wait pause” from step 1 to 2",
      "changed “Wait pause”: config.seconds 1 → 2",
    ]);

    const history = await getRunbookWithHistory(runbook.id);
    expect(history?.history.map((h) => [h.version, h.createdBy, h.changes.length])).toEqual([
      [2, other.name, 3],
      [1, admin.name, 2],
    ]);

    // The database itself refuses to rewrite a version.
    await expect(db().runbookVersion.update({ where: { id: v1.id }, data: { note: "rewritten" } })).rejects.toThrow(/immutable/);
  });

  it("refuses an edit made against a stale version, naming who saved since; nothing is written", async () => {
    const alice = await makeUser("ADMIN");
    const bob = await makeUser("ADMIN");
    const service = await makeService();
    const { runbook } = await customRunbook(alice, service.id);
    await saveRunbookVersion(alice, { runbookId: runbook.id, baseVersion: 1, steps: [wait("pause", 5)] });
    const stale = await saveRunbookChange.run(bob, { runbookId: runbook.id, baseVersion: 1, steps: [wait("pause", 9)] });
    expect(stale).toEqual({
      ok: false,
      code: "stale",
      message: `${alice.name} saved version 2 of this runbook while you were editing version 1. Nothing was saved: reload to see their steps, then re-apply your changes.`,
      current: { version: 2, savedBy: alice.name, savedAt: expect.any(Date) },
    });
    expect(await db().auditLog.findMany({ where: { actorId: bob.id } })).toMatchObject([
      { action: "runbook.save", outcome: "DENIED", entityId: runbook.id, details: { code: "stale" } },
    ]);
    expect((await db().runbook.findUniqueOrThrow({ where: { id: runbook.id } })).currentVersion).toBe(2);
    expect(await db().runbookVersion.count({ where: { runbookId: runbook.id } })).toBe(2);

    // Two saves from the same version at once: one wins, the other is told.
    const both = await Promise.allSettled([
      saveRunbookVersion(alice, { runbookId: runbook.id, baseVersion: 2, steps: [wait("pause", 6)] }),
      saveRunbookVersion(bob, { runbookId: runbook.id, baseVersion: 2, steps: [wait("pause", 7)] }),
    ]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(StaleError);
    expect((refused.reason as StaleError).current).toMatchObject({ version: 3 });
    expect(await db().runbookVersion.count({ where: { runbookId: runbook.id } })).toBe(3);
  });

  it("refuses a bad step on save, and a save that changes nothing, keeping the current version", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const { runbook } = await customRunbook(admin, service.id);
    await expect(
      saveRunbookVersion(admin, { runbookId: runbook.id, baseVersion: 1, steps: [wait("pause", 1), wait("pause", 2)] }),
    ).rejects.toThrow("Step 2 “Wait pause” (name): Step 1 already has this name: names must differ.");
    await expect(
      saveRunbookVersion(admin, { runbookId: runbook.id, baseVersion: 1, steps: [wait("pause", 1), echo("say", "v1")] }),
    ).rejects.toThrow("Nothing changed since version 1");
    expect((await db().runbook.findUniqueOrThrow({ where: { id: runbook.id } })).currentVersion).toBe(1);
    expect(await db().runbookVersion.count({ where: { runbookId: runbook.id } })).toBe(1);
  });

  it("archives and unarchives; an archived runbook is not edited and not planned from", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const { runbook } = await customRunbook(admin, service.id);
    await setRunbookArchived(admin, { runbookId: runbook.id, archived: true });
    await expect(setRunbookArchived(admin, { runbookId: runbook.id, archived: true })).rejects.toBeInstanceOf(ConflictError);
    await expect(setRunbookArchived(admin, { runbookId: runbook.id, archived: true })).rejects.toThrow("already archived");
    await expect(saveRunbookVersion(admin, { runbookId: runbook.id, baseVersion: 1, steps: [wait("pause", 3)] })).rejects.toThrow(
      "This runbook is archived: unarchive it before editing it.",
    );
    const incident = await declare(service.id);
    await expect(proposeDecision(await makeUser("RESPONDER"), custom(incident.id))).rejects.toThrow("no custom runbook yet");
    await setRunbookArchived(admin, { runbookId: runbook.id, archived: false });
    expect((await auditRows(runbook.id)).filter((a) => a.outcome === "ALLOWED").map((a) => a.action)).toEqual([
      "runbook.create",
      "runbook.archive",
      "runbook.unarchive",
    ]);
    expect((await proposeDecision(await makeUser("RESPONDER"), custom(incident.id))).strategy).toBe("CUSTOM");
  });
});

async function declare(serviceId: string) {
  const ago = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  return declareIncident(await makeUser("RESPONDER"), {
    title: `Runbook test ${randomUUID().slice(0, 6)}`,
    serviceId,
    badVersion: "v2",
    previousVersion: "v1",
    severity: "SEV2",
    deployedAt: ago(30),
    detectedAt: ago(20),
  });
}

const custom = (incidentId: string, runbookId?: string) => ({
  incidentId,
  tier: "FAST" as const,
  strategy: "CUSTOM" as const,
  reason: "the custom runbook fits this service",
  runbookId,
});

describe("plans and runs", () => {
  it("a plan built after an edit uses the new version; a run already started keeps the version it was built from", async () => {
    const admin = await makeUser("ADMIN");
    const responder = await makeUser("RESPONDER");
    const service = await makeService();
    const { runbook } = await customRunbook(admin, service.id);
    const v1 = await db().runbookVersion.findUniqueOrThrow({ where: { runbookId_version: { runbookId: runbook.id, version: 1 } } });

    const first = await declare(service.id);
    const decision = await proposeDecision(responder, custom(first.id));
    expect(decision.runbookVersionId).toBe(v1.id);
    await approveDecision(await makeUser("RELEASE_MANAGER"), { decisionId: decision.id, planHash: decision.planHash });
    const { run } = await startRun(responder, { decisionId: decision.id, planHash: decision.planHash });

    await saveRunbookVersion(admin, {
      runbookId: runbook.id,
      baseVersion: 1,
      steps: [wait("pause", 2), echo("say", "v2"), echo("again", "v2")],
    });
    const v2 = await db().runbookVersion.findUniqueOrThrow({ where: { runbookId_version: { runbookId: runbook.id, version: 2 } } });

    // The run and its decision still say what v1 said.
    const steps = await db().rollbackStep.findMany({ where: { runId: run.id }, orderBy: { position: "asc" } });
    expect(steps.map((s) => s.config)).toEqual([{ seconds: 1 }, { argv: ["echo", "v1"] }]);
    const kept = await db().decision.findUniqueOrThrow({ where: { id: decision.id } });
    expect(kept).toMatchObject({ runbookVersionId: v1.id, planHash: decision.planHash });

    // A new plan is built from v2.
    const second = await declare(service.id);
    const next = await proposeDecision(responder, custom(second.id));
    expect(next.runbookVersionId).toBe(v2.id);
    expect(parsePlan(next.plan).map((s) => [s.key, s.config])).toEqual([
      ["pause", { seconds: 2 }],
      ["say", { argv: ["echo", "v2"] }],
      ["again", { argv: ["echo", "v2"] }],
    ]);
    const history = await getRunbookWithHistory(runbook.id);
    expect(history?.history.map((h) => [h.version, h.usedBy])).toEqual([
      [2, [second.number]],
      [1, [first.number]],
    ]);
  });

  it("a responder may pick which of the service's runbooks the plan comes from", async () => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const a = await customRunbook(admin, service.id, [wait("a", 1)]);
    const b = await customRunbook(admin, service.id, [wait("b", 1)]);
    const incident = await declare(service.id);
    const chosen = await proposeDecision(await makeUser("RESPONDER"), custom(incident.id, a.runbook.id));
    expect(parsePlan(chosen.plan).map((s) => s.key)).toEqual(["a"]);
    const other = await makeService();
    const elsewhere = await declare(other.id);
    await expect(proposeDecision(await makeUser("RESPONDER"), custom(elsewhere.id, b.runbook.id))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

describe("a caller who may not configure runbooks", () => {
  type Case = { run: (actor: Actor) => Promise<{ ok: boolean }>; snapshot: () => Promise<unknown> };
  const runbooksOf = (serviceId: string) =>
    db().runbook.findMany({ where: { serviceId }, orderBy: { id: "asc" }, include: { versions: { orderBy: { version: "asc" } } } });

  // Each runbook change, with the admin-made runbook it needs, tried by a release manager.
  const cases: Record<string, (admin: Actor, serviceId: string) => Promise<Case>> = {
    "runbook.validate": async (_admin, serviceId) => ({
      run: (actor) => validateRunbookChange.run(actor, { serviceId, strategy: "CUSTOM", steps: [wait("w", 1)] }),
      snapshot: () => runbooksOf(serviceId),
    }),
    "runbook.create": async (_admin, serviceId) => ({
      run: (actor) => createRunbookChange.run(actor, { serviceId, name: "Sneaky", strategy: "CUSTOM", steps: [wait("w", 1)] }),
      snapshot: () => runbooksOf(serviceId),
    }),
    "runbook.save": async (admin, serviceId) => {
      const { runbook } = await customRunbook(admin, serviceId);
      return {
        run: (actor) => saveRunbookChange.run(actor, { runbookId: runbook.id, baseVersion: 1, steps: [wait("w", 2)] }),
        snapshot: () => runbooksOf(serviceId),
      };
    },
    "runbook.archive": async (admin, serviceId) => {
      const { runbook } = await customRunbook(admin, serviceId);
      return { run: (actor) => archiveRunbookChange.run(actor, { runbookId: runbook.id }), snapshot: () => runbooksOf(serviceId) };
    },
    "runbook.unarchive": async (admin, serviceId) => {
      const { runbook } = await customRunbook(admin, serviceId);
      await setRunbookArchived(admin, { runbookId: runbook.id, archived: true });
      return { run: (actor) => unarchiveRunbookChange.run(actor, { runbookId: runbook.id }), snapshot: () => runbooksOf(serviceId) };
    },
  };

  it.each(Object.keys(cases))("%s: refused, nothing changed, one DENIED row", async (action) => {
    const admin = await makeUser("ADMIN");
    const service = await makeService();
    const { run, snapshot } = await cases[action](admin, service.id);
    const rm = await makeUser("RELEASE_MANAGER");
    await expectRefusedOnce({ actor: rm, action, run: () => run(rm), snapshot });
  });
});
