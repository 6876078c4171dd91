import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { verifyPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import {
  changeRole,
  changeRoleChange,
  createUser,
  createUserChange,
  disableUserChange,
  enableUserChange,
  setUserDisabled,
} from "./mutations";

const email = () => `new-${randomUUID().slice(0, 8)}@test.local`;

describe("user administration", () => {
  it("lets an admin create a user with a hashed password, audited", async () => {
    const admin = await makeUser("ADMIN");
    const address = email();
    const user = await createUser(admin, {
      email: address.toUpperCase(),
      name: "New Person",
      role: "RESPONDER",
      password: "long-enough-pw",
    });
    const stored = await getDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true, passwordHash: true } });
    expect(stored.email).toBe(address);
    expect(stored.passwordHash).not.toContain("long-enough-pw");
    expect(await verifyPassword("long-enough-pw", stored.passwordHash ?? "")).toBe(true);
    expect(await getDb().auditLog.count({ where: { entityId: user.id, action: "user.create", outcome: "ALLOWED" } })).toBe(1);
  });

  it("refuses a duplicate email with a message, and short passwords", async () => {
    const admin = await makeUser("ADMIN");
    const address = email();
    await createUser(admin, { email: address, name: "First", role: "VIEWER", password: "long-enough-pw" });
    await expect(createUser(admin, { email: address, name: "Second", role: "VIEWER", password: "long-enough-pw" })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(createUser(admin, { email: email(), name: "Third", role: "VIEWER", password: "short" })).rejects.toThrow(/10 characters/);
    const duplicate = await createUserChange.run(admin, { email: address, name: "Fourth", role: "VIEWER", password: "long-enough-pw" });
    expect(duplicate).toMatchObject({ ok: false, code: "invalid", field: "email" });
    // Every refusal is audited on its field, and no password (nor its hash) is in any row.
    const denied = await getDb().auditLog.findMany({ where: { actorId: admin.id, outcome: "DENIED" }, orderBy: { id: "asc" } });
    expect(denied.map((d) => d.details)).toMatchObject([
      { code: "invalid", field: "email" },
      { code: "invalid", field: "password" },
      { code: "invalid", field: "email" },
    ]);
    const all = await getDb().auditLog.findMany({ where: { actorId: admin.id } });
    for (const row of all) expect(JSON.stringify(row.details)).not.toMatch(/long-enough-pw|short|\$2[aby]\$/);
  });

  it("refuses non-admins and audits the attempt", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const target = await makeUser("VIEWER");
    await expect(changeRole(rm, { userId: target.id, role: "ADMIN" })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("VIEWER");
    expect(await getDb().auditLog.count({ where: { actorId: rm.id, action: "user.change_role", outcome: "DENIED" } })).toBe(1);
  });

  it("changes roles and disables accounts, but never the last active admin or oneself", async () => {
    const db = getDb();
    // Make this admin the only active one for the duration of the test.
    const admin = await makeUser("ADMIN");
    const otherAdmins = await db.user.findMany({ where: { role: "ADMIN", disabledAt: null, id: { not: admin.id } }, select: { id: true } });
    await db.user.updateMany({ where: { id: { in: otherAdmins.map((u) => u.id) } }, data: { disabledAt: new Date() } });
    try {
      await expect(changeRole(admin, { userId: admin.id, role: "VIEWER" })).rejects.toThrow(/last active admin/);
      await expect(setUserDisabled(admin, { userId: admin.id, disabled: true })).rejects.toThrow(/your own account/);
      expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ role: "ADMIN", disabledAt: null });
      expect(
        (await db.auditLog.findMany({ where: { actorId: admin.id }, orderBy: { id: "asc" } })).map((a) => [a.action, a.outcome, a.details]),
      ).toMatchObject([
        ["user.change_role", "DENIED", { code: "conflict" }],
        ["user.disable", "DENIED", { code: "forbidden" }],
      ]);

      const target = await makeUser("RESPONDER");
      await changeRole(admin, { userId: target.id, role: "RELEASE_MANAGER" });
      await setUserDisabled(admin, { userId: target.id, disabled: true });
      const after = await db.user.findUniqueOrThrow({ where: { id: target.id } });
      expect(after.role).toBe("RELEASE_MANAGER");
      expect(after.disabledAt).not.toBeNull();
      await setUserDisabled(admin, { userId: target.id, disabled: false });
      expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
      // The same click twice changes nothing, so it writes no second row.
      await setUserDisabled(admin, { userId: target.id, disabled: false });
      await changeRole(admin, { userId: target.id, role: "RELEASE_MANAGER" });
      expect((await db.auditLog.findMany({ where: { entityId: target.id }, orderBy: { id: "asc" } })).map((a) => a.action)).toEqual([
        "user.change_role",
        "user.disable",
        "user.enable",
      ]);
    } finally {
      await db.user.updateMany({ where: { id: { in: otherAdmins.map((u) => u.id) } }, data: { disabledAt: null } });
    }
  });

  it("two admins demoting each other at once leave one admin, not none", async () => {
    const db = getDb();
    const alice = await makeUser("ADMIN");
    const bob = await makeUser("ADMIN");
    const others = await db.user.findMany({
      where: { role: "ADMIN", disabledAt: null, id: { notIn: [alice.id, bob.id] } },
      select: { id: true },
    });
    await db.user.updateMany({ where: { id: { in: others.map((u) => u.id) } }, data: { disabledAt: new Date() } });
    try {
      const outcomes = await Promise.all([
        changeRoleChange.run(alice, { userId: bob.id, role: "VIEWER" }),
        disableUserChange.run(bob, { userId: alice.id }),
      ]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.find((o) => !o.ok)).toMatchObject({ code: "conflict", message: expect.stringMatching(/last active admin/) });
      expect(await db.user.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);
    } finally {
      await db.user.updateMany({ where: { id: { in: others.map((u) => u.id) } }, data: { disabledAt: null } });
    }
  });
});

describe("a caller who may not manage users", () => {
  type Case = { run: (actor: Actor) => Promise<{ ok: boolean }>; snapshot: () => Promise<unknown> };
  const users = () => getDb().user.findMany({ orderBy: { id: "asc" }, select: { id: true, email: true, role: true, disabledAt: true } });
  const cases: Record<string, () => Promise<Case>> = {
    "user.create": async () => ({
      run: (actor) => createUserChange.run(actor, { email: email(), name: "Sneaky", role: "ADMIN", password: "long-enough-pw" }),
      snapshot: users,
    }),
    "user.change_role": async () => {
      const target = await makeUser("VIEWER");
      return { run: (actor) => changeRoleChange.run(actor, { userId: target.id, role: "ADMIN" }), snapshot: users };
    },
    "user.disable": async () => {
      const target = await makeUser("RESPONDER");
      return { run: (actor) => disableUserChange.run(actor, { userId: target.id }), snapshot: users };
    },
    "user.enable": async () => {
      const target = await makeUser("RESPONDER", { disabled: true });
      return { run: (actor) => enableUserChange.run(actor, { userId: target.id }), snapshot: users };
    },
  };

  it.each(Object.keys(cases))("%s: refused, nothing changed, one DENIED row", async (action) => {
    const { run, snapshot } = await cases[action]();
    const rm = await makeUser("RELEASE_MANAGER");
    await expectRefusedOnce({ actor: rm, action, run: () => run(rm), snapshot });
  });
});
