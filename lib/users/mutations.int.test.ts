import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { makeUser } from "@/lib/testing/factories";
import { changeRole, createUser, setUserDisabled } from "./mutations";

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
    expect(await verifyPassword("long-enough-pw", stored.passwordHash)).toBe(true);
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

      const target = await makeUser("RESPONDER");
      await changeRole(admin, { userId: target.id, role: "RELEASE_MANAGER" });
      await setUserDisabled(admin, { userId: target.id, disabled: true });
      const after = await db.user.findUniqueOrThrow({ where: { id: target.id } });
      expect(after.role).toBe("RELEASE_MANAGER");
      expect(after.disabledAt).not.toBeNull();
      await setUserDisabled(admin, { userId: target.id, disabled: false });
      expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
    } finally {
      await db.user.updateMany({ where: { id: { in: otherAdmins.map((u) => u.id) } }, data: { disabledAt: null } });
    }
  });
});
