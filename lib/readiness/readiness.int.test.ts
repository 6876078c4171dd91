// Rollback readiness of a database-restore runbook against a real pg_dump archive: the latest
// backup's age against the runbook's maximum makes the plan red (with the age in words) or green,
// and the check reads only the archive's first bytes — the target database, behind a port that
// counts every connection, is never contacted, and the archive is left as it was.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, stat, utimes } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlagService } from "@/demo/flag-service.mjs";
import { fixedClock } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { makeService } from "@/lib/testing/factories";
import { assertPgToolsFitServer } from "@/lib/testing/pg-tools";
import { demoFlagRunbookSteps } from "@/prisma/seed";
import { HEADER_BYTES, parseDumpHeader } from "./backup-header";
import { checkReadiness, currentReadiness } from "./store";
import { checksForPlan, rollup } from "./types";

const execFileP = promisify(execFile);
const DB_ENV = "READINESS_TEST_TARGET_DB";

let dir = "";
let dump = "";
let connections = 0;
let counter: net.Server;

function restoreRunbookSteps(backupPath: string, unreachable: string) {
  const db = { databaseUrlEnv: DB_ENV };
  return [
    {
      key: "verify-backup",
      name: "Verify the backup",
      executor: "POSTGRES",
      config: { operation: "check-backup", backupPath, maxBackupAgeHours: 24 },
    },
    { key: "maintenance-on", name: "Enable maintenance mode", executor: "HTTP", config: { method: "POST", url: `${unreachable}/on` } },
    { key: "stop-instances", name: "Stop application instances", executor: "COMMAND", destructive: true, config: { argv: ["true"] } },
    { key: "emergency-backup", name: "Take the emergency backup", executor: "POSTGRES", config: { operation: "backup", ...db } },
    { key: "restore", name: "Restore the database", executor: "POSTGRES", destructive: true, config: { operation: "restore", ...db } },
    {
      key: "verify-integrity",
      name: "Verify data integrity",
      executor: "POSTGRES",
      config: { operation: "integrity", tables: ["public.orders"], ...db },
    },
    { key: "start-previous", name: "Start the previous version", executor: "COMMAND", config: { argv: ["true"] } },
    { key: "verify-health", name: "Verify health", executor: "HEALTH_CHECK", config: { urls: [`${unreachable}/health`] } },
    { key: "maintenance-off", name: "Disable maintenance mode", executor: "HTTP", config: { method: "POST", url: `${unreachable}/off` } },
  ];
}

async function restoreService(backupPath: string) {
  const service = await makeService();
  const runbook = await getDb().runbook.create({
    data: {
      serviceId: service.id,
      name: `Restore ${randomUUID().slice(0, 6)}`,
      strategy: "DATABASE_RESTORE",
      versions: { create: { version: 1, steps: restoreRunbookSteps(backupPath, "http://127.0.0.1:9") } },
    },
  });
  return { serviceId: service.id, runbookId: runbook.id };
}

beforeAll(async () => {
  await assertPgToolsFitServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "readiness-"));
  dump = path.join(dir, "nightly.dump");
  // A real archive, of the test database's migrations table: small, and a header pg_dump wrote.
  const url = new URL(process.env.DATABASE_URL ?? "");
  url.search = "";
  await execFileP("pg_dump", ["--format=custom", "--table=_prisma_migrations", "--file", dump, url.toString()]);
  counter = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((r) => counter.listen(0, "127.0.0.1", r));
  process.env[DB_ENV] = `postgres://app:app-password@127.0.0.1:${(counter.address() as net.AddressInfo).port}/app`;
});

afterAll(async () => {
  delete process.env[DB_ENV];
  await new Promise((r) => counter?.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the latest backup of a restore runbook", () => {
  it("reads pg_dump's header from the archive's first bytes", async () => {
    const bytes = (await readFile(dump)).subarray(0, HEADER_BYTES);
    const header = parseDumpHeader(bytes);
    expect(header?.format).toBe("custom");
    expect(header?.database).toBe(new URL(process.env.DATABASE_URL ?? "").pathname.slice(1));
    expect(header?.dumpVersion).toMatch(/^\d+\.\d+/);
    expect(parseDumpHeader(Buffer.from("-- PostgreSQL database dump\n"))).toBeNull();
  });

  it("older than the maximum age makes the restore plan red, with its age in words; a fresh one makes it green; the database is never contacted", async () => {
    const { serviceId, runbookId } = await restoreService(dump);
    const before = await readFile(dump);
    const size = (await stat(dump)).size;
    const t0 = Date.now();
    const clock = fixedClock(t0);
    try {
      // 30 h 5 min old against a 24 h maximum.
      const old = new Date(t0 - (30 * 60 + 5) * 60_000);
      await utimes(dump, old, old);
      const stale = await checkReadiness(serviceId);
      const plan = checksForPlan(stale.checks, "DATABASE_RESTORE", runbookId);
      expect(rollup(plan)).toBe("red");
      const backup = plan.find((c) => c.kind === "backup");
      expect(backup?.result).toBe("fail");
      expect(backup?.summary).toMatch(/^too old: 1 d 6 h old, \d+(\.\d)? KB, max 24 h$/);
      expect(backup?.stepKeys).toEqual(["verify-backup"]);
      expect(backup?.numbers).toMatchObject({ bytes: size, maxAgeHours: 24 });
      expect(stale.status).toBe("red");

      const fresh = new Date(t0 - 12 * 60_000);
      await utimes(dump, fresh, fresh);
      clock.advance(60_000);
      const now = await currentReadiness(serviceId);
      const planNow = checksForPlan(now.checks, "DATABASE_RESTORE", runbookId);
      expect(planNow.map((c) => [c.kind, c.result])).toEqual([
        ["backup", "pass"],
        ["secrets", "pass"],
        ["runbook", "pass"],
      ]);
      expect(rollup(planNow)).toBe("green");
      expect(planNow[0].summary).toMatch(/^1\d min old, .* KB, max 24 h \(pg_dump custom archive of /);
      expect(planNow[1].summary).toBe(`1/1 set on the server: ${DB_ENV}`);
      expect(now.status).toBe("green");
      expect(now.checkedAt).toBe(new Date(t0 + 60_000).toISOString());
    } finally {
      clock.restore();
    }
    expect(connections).toBe(0);
    expect((await readFile(dump)).equals(before)).toBe(true);
    // Nothing but the readiness row was written.
    expect(await getDb().serviceReadiness.count({ where: { serviceId } })).toBe(1);
  });

  it("a missing secret and a missing backup say so, by name, never by value", async () => {
    const { serviceId, runbookId } = await restoreService(path.join(dir, "no-such.dump"));
    const saved = process.env[DB_ENV];
    delete process.env[DB_ENV];
    try {
      const result = await checkReadiness(serviceId);
      const plan = checksForPlan(result.checks, "DATABASE_RESTORE", runbookId);
      expect(plan.find((c) => c.kind === "backup")?.summary).toBe(`no backup at ${path.join(dir, "no-such.dump")}`);
      const secrets = plan.find((c) => c.kind === "secrets");
      expect(secrets?.result).toBe("fail");
      expect(secrets?.summary).toBe(`not set on the server: ${DB_ENV} (0/1 set)`);
      expect(secrets?.stepKeys).toEqual(["emergency-backup", "restore", "verify-integrity"]);
    } finally {
      process.env[DB_ENV] = saved;
    }
    expect(JSON.stringify(await getDb().serviceReadiness.findUnique({ where: { serviceId } }))).not.toContain("app-password");
  });
});

describe("the flag service of a feature-flag runbook", () => {
  it("is read with the flag step's token, never turned off: 200 passes; a wrong token fails, by status, never showing the token", async () => {
    const token = "*:*.readiness-flag-admin-secret";
    const { server, flags } = createFlagService({ adminToken: token });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const service = await makeService();
    const runbook = await getDb().runbook.create({
      data: {
        serviceId: service.id,
        name: "Flag off",
        strategy: "FEATURE_FLAG",
        versions: { create: { version: 1, steps: demoFlagRunbookSteps(url) } },
      },
    });
    const flagCheck = async () =>
      checksForPlan((await checkReadiness(service.id)).checks, "FEATURE_FLAG", runbook.id).find((c) => c.kind === "flag-service");
    const saved = process.env.DEMO_FLAGS_TOKEN;
    try {
      process.env.DEMO_FLAGS_TOKEN = token;
      expect(await flagCheck()).toMatchObject({ result: "pass", summary: expect.stringMatching(/answered 200/), stepKeys: ["flags-off"] });
      expect(flags.get("new-order-confirmation")?.environments.production).toBe(true);
      process.env.DEMO_FLAGS_TOKEN = "*:*.wrong-readiness-secret";
      const refused = await flagCheck();
      expect(refused?.result).toBe("fail");
      expect(refused?.summary).toMatch(/answered 401/);
      const stored = JSON.stringify(await getDb().serviceReadiness.findUnique({ where: { serviceId: service.id } }));
      expect(stored).not.toContain("readiness-flag-admin-secret");
      expect(stored).not.toContain("wrong-readiness-secret");
    } finally {
      process.env.DEMO_FLAGS_TOKEN = saved;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
