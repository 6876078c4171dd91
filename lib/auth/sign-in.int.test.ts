// Sign-in abuse, against real PostgreSQL: the throttle holds across app instances (two separate
// connection pools, as two `next start` would have), a burst cannot slip past it, and an unknown
// email costs as much time as a known one.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { type Db, getDb } from "@/lib/db";
import { createPrismaClient } from "@/lib/db-client";
import { checkCredentials, type SignInResult } from "./credentials";
import { hashPassword } from "./password";

const PASSWORD = "the-right-password";
const instances: Db[] = [createPrismaClient(process.env.DATABASE_URL ?? "", 3), createPrismaClient(process.env.DATABASE_URL ?? "", 3)];

afterAll(async () => {
  await Promise.all(instances.map((db) => db.$disconnect()));
});

let passwordHash: Promise<string> | undefined;

async function makeAccount(): Promise<string> {
  passwordHash ??= hashPassword(PASSWORD);
  const email = `person-${randomUUID().slice(0, 8)}@test.local`;
  await getDb().user.create({ data: { email, name: "Signs In", role: "RESPONDER", passwordHash: await passwordHash } });
  return email;
}

const noAddress = { address: null, userAgent: "vitest" };

describe("the sign-in throttle", () => {
  it("after 10 wrong passwords spread over two instances, refuses the right one on both, audited", async () => {
    const email = await makeAccount();
    const t0 = Date.now();
    const results: SignInResult[] = [];
    for (let i = 0; i < 10; i++) {
      // Each attempt once the previous back-off has passed: only the count makes the lockout.
      const at = new Date(t0 + i * 10 * 60_000);
      results.push(await checkCredentials(instances[i % 2], { email, password: `wrong-${i}` }, noAddress, at));
    }
    expect(results.map((r) => r.ok || r.reason)).toEqual(Array(10).fill("bad credentials"));
    const after = new Date(t0 + 9 * 10 * 60_000 + 1000);
    for (const db of instances) {
      const refused = await checkCredentials(db, { email, password: PASSWORD }, noAddress, after);
      expect(refused).toMatchObject({ ok: false, reason: "throttled" });
      // The 10th failure locks for the longest wait: 15 minutes from it.
      if (!refused.ok && refused.reason === "throttled") expect(refused.until.getTime() - after.getTime()).toBe(15 * 60_000 - 1000);
    }
    const denied = await getDb().auditLog.findMany({
      where: { action: "auth.sign_in", outcome: "DENIED", details: { path: ["email"], equals: email } },
      orderBy: { id: "asc" },
    });
    expect(denied.map((d) => (d.details as { code: string }).code)).toEqual([...Array(10).fill("forbidden"), "throttled", "throttled"]);
    // Once the lockout is over the right password works, and the account starts again from zero.
    const later = new Date(after.getTime() + 15 * 60_000);
    expect(await checkCredentials(instances[1], { email, password: PASSWORD }, noAddress, later)).toMatchObject({ ok: true });
    expect(await getDb().signInThrottle.findUnique({ where: { key: `account:${email}` } })).toBeNull();
  });

  it("lets exactly five of 30 simultaneous wrong passwords on two instances reach the password check", async () => {
    const email = await makeAccount();
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => checkCredentials(instances[i % 2], { email, password: `burst-${i}` }, noAddress, now)),
    );
    const checked = results.filter((r) => !r.ok && r.reason === "bad credentials").length;
    expect(checked).toBe(5);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(25);
  });

  it("throttles an address spraying many accounts, even where each account is new to it", async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const client = { address, userAgent: "vitest" };
    const now = new Date();
    for (let i = 0; i < 20; i++) {
      const r = await checkCredentials(getDb(), { email: `spray-${i}-${randomUUID()}@test.local`, password: "guess" }, client, now);
      expect(r).toMatchObject({ ok: false, reason: "bad credentials" });
    }
    const email = await makeAccount();
    expect(await checkCredentials(getDb(), { email, password: PASSWORD }, client, now)).toMatchObject({ ok: false, reason: "throttled" });
    // Another address is not affected.
    expect(await checkCredentials(getDb(), { email, password: PASSWORD }, { address: "198.51.100.1", userAgent: null }, now)).toMatchObject(
      {
        ok: true,
      },
    );
  });

  it("gives a successful sign-in's charge back to its address", async () => {
    const address = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const email = await makeAccount();
    for (let i = 0; i < 3; i++) await checkCredentials(getDb(), { email, password: PASSWORD }, { address, userAgent: null });
    expect(await getDb().signInThrottle.findUnique({ where: { key: `address:${address}` } })).toMatchObject({ failures: 0 });
  });
});

describe("equal work for unknown and known accounts", () => {
  it("takes as long for an unknown email as for a known one with a wrong password (medians of 20 within 20 %)", async () => {
    const known = await Promise.all(Array.from({ length: 21 }, () => makeAccount()));
    const time = async (email: string) => {
      const start = performance.now();
      const r = await checkCredentials(getDb(), { email, password: "not-the-password" }, noAddress);
      expect(r).toMatchObject({ ok: false, reason: "bad credentials" });
      return performance.now() - start;
    };
    // Warm up both paths (the dummy hash is made on first use; the pool's connections open).
    await time(known[20]);
    await time(`warm-${randomUUID()}@test.local`);
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    // Interleaved, each on a fresh key, so load on the machine falls on both alike.
    for (let i = 0; i < 20; i++) {
      knownMs.push(await time(known[i]));
      unknownMs.push(await time(`nobody-${randomUUID()}@test.local`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const [k, u] = [median(knownMs), median(unknownMs)];
    expect(Math.abs(k - u) / Math.max(k, u), `known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(0.2);
    // And the work is real: a bcrypt comparison at the configured cost, not a shortcut for both.
    expect(u).toBeGreaterThan(20);
  });
});
