// Sessions that can be ended: each sign-in is a row, and every way of ending one — sign-out,
// "sign out everywhere" (the person's own or an admin's), a role change, disabling the user — is
// seen by the next request's read of the row, on any instance.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import { changeRole, endUserSessionsChange, setUserDisabled } from "@/lib/users/mutations";
import { checkCredentials } from "./credentials";
import { hashPassword } from "./password";
import { readSessionUser, signOutSessions } from "./sessions";

const PASSWORD = "the-right-password";

/** A person signed in from `browsers` browsers: their sessions, through the real sign-in. */
async function signedIn(browsers: number, role: Actor["role"] = "RESPONDER") {
  const email = `session-${randomUUID().slice(0, 8)}@test.local`;
  await getDb().user.create({ data: { email, name: "Has Sessions", role, passwordHash: await hashPassword(PASSWORD) } });
  const sessions: string[] = [];
  let user: Actor | undefined;
  for (let i = 0; i < browsers; i++) {
    const r = await checkCredentials(getDb(), { email, password: PASSWORD }, { address: "127.0.0.1", userAgent: `browser ${i}` });
    if (!r.ok) throw new Error(`sign-in refused: ${r.reason}`);
    sessions.push(r.sessionId);
    user = r.user;
  }
  if (!user) throw new Error("no browser signed in");
  return { user, sessions };
}

const alive = async (user: Actor, sessionId: string) => (await readSessionUser(getDb(), sessionId, user.id, new Date())) !== null;

describe("ending sessions", () => {
  it("sign-out ends this browser's session only, audited", async () => {
    const { user, sessions } = await signedIn(2);
    expect(await alive(user, sessions[0])).toBe(true);
    await signOutSessions(getDb(), user, sessions[0], "this", new Date());
    expect(await alive(user, sessions[0])).toBe(false);
    expect(await alive(user, sessions[1])).toBe(true);
    const row = await getDb().userSession.findUniqueOrThrow({ where: { id: sessions[0] } });
    expect(row.endReason).toBe("sign-out");
    expect(await getDb().auditLog.count({ where: { actorId: user.id, action: "auth.sign_out", outcome: "ALLOWED" } })).toBe(1);
  });

  it("'sign out everywhere' ends all of the person's sessions and nobody else's", async () => {
    const { user, sessions } = await signedIn(3);
    const other = await signedIn(1);
    expect(await signOutSessions(getDb(), user, sessions[1], "all", new Date())).toBe(3);
    for (const id of sessions) expect(await alive(user, id)).toBe(false);
    expect(await alive(other.user, other.sessions[0])).toBe(true);
  });

  it("a session token cannot be used for another user", async () => {
    const a = await signedIn(1);
    const b = await signedIn(1);
    expect(await readSessionUser(getDb(), a.sessions[0], b.user.id, new Date())).toBeNull();
  });

  it("an admin's 'sign out everywhere', a role change and disabling each end every session of the user", async () => {
    const admin = await makeUser("ADMIN");
    await makeUser("ADMIN"); // so that the admin is never the last one

    const ended = await signedIn(2);
    expect(await endUserSessionsChange.runOrThrow(admin, { userId: ended.user.id })).toEqual({ sessions: 2 });
    for (const id of ended.sessions) expect(await alive(ended.user, id)).toBe(false);

    const promoted = await signedIn(2);
    await changeRole(admin, { userId: promoted.user.id, role: "RELEASE_MANAGER" });
    for (const id of promoted.sessions) expect(await alive(promoted.user, id)).toBe(false);

    const disabled = await signedIn(2);
    await setUserDisabled(admin, { userId: disabled.user.id, disabled: true });
    for (const id of disabled.sessions) expect(await alive(disabled.user, id)).toBe(false);
    // Enabling the user again does not bring the old sessions back.
    await setUserDisabled(admin, { userId: disabled.user.id, disabled: false });
    for (const id of disabled.sessions) expect(await alive(disabled.user, id)).toBe(false);

    const audit = await getDb().auditLog.findMany({ where: { actorId: admin.id, outcome: "ALLOWED" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, (a.details as { sessions?: number }).sessions])).toEqual([
      ["user.end_sessions", 2],
      ["user.change_role", 2],
      ["user.disable", 2],
      ["user.enable", undefined],
    ]);
  });

  it("refuses a non-admin ending someone's sessions: nothing ends, one DENIED row", async () => {
    const victim = await signedIn(1);
    const responder = await makeUser("RESPONDER");
    await expectRefusedOnce({
      actor: responder,
      action: "user.end_sessions",
      run: () => endUserSessionsChange.run(responder, { userId: victim.user.id }),
      snapshot: () => getDb().userSession.findMany({ where: { userId: victim.user.id }, orderBy: { id: "asc" } }),
    });
    expect(await alive(victim.user, victim.sessions[0])).toBe(true);
  });
});
