// Backout's side of a single sign-on, against the real database (the browser flow through a real
// OIDC provider is e2e/sso.spec.ts).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { makeUser } from "@/lib/testing/factories";
import { checkCredentials } from "./credentials";
import { checkOidcSignIn } from "./oidc-sign-in";
import { parseRoleMap } from "./sso";

const settings = {
  issuer: "https://idp.test",
  roleClaim: "groups",
  roleMap: parseRoleMap("backout-admins=ADMIN,release=RELEASE_MANAGER"),
  defaultRole: "RESPONDER" as const,
};
const client = { address: "203.0.113.9", userAgent: "test" };
const email = () => `sso-${randomUUID().slice(0, 8)}@example.test`;

describe("single sign-on", () => {
  it("makes an account on first sign-in with the mapped role, and a session row", async () => {
    const address = email();
    const result = await checkOidcSignIn(
      getDb(),
      { sub: "u1", email: address.toUpperCase(), email_verified: true, name: "Sam", groups: ["release"] },
      settings,
      client,
    );
    expect(result).toMatchObject({ ok: true, created: true, user: { email: address, role: "RELEASE_MANAGER", name: "Sam" } });
    if (!result.ok) return;
    const session = await getDb().userSession.findUniqueOrThrow({ where: { id: result.sessionId } });
    expect(session).toMatchObject({ userId: result.user.id, endedAt: null, address: client.address });
    const user = await getDb().user.findUniqueOrThrow({ where: { id: result.user.id }, select: { passwordHash: true } });
    expect(user.passwordHash).toBeNull();
  });

  it("gives the default role when no value is mapped", async () => {
    const result = await checkOidcSignIn(getDb(), { sub: "u2", email: email(), email_verified: true, groups: ["staff"] }, settings, client);
    expect(result).toMatchObject({ ok: true, user: { role: "RESPONDER" } });
  });

  it("matches an existing account by email: a mapped role is applied, otherwise the admin's role stays", async () => {
    const person = await makeUser("VIEWER");
    const kept = await checkOidcSignIn(getDb(), { sub: "u3", email: person.email, email_verified: "true" }, settings, client);
    expect(kept).toMatchObject({ ok: true, created: false, user: { id: person.id, role: "VIEWER" } });
    const mapped = await checkOidcSignIn(
      getDb(),
      { sub: "u3", email: person.email, email_verified: true, groups: ["backout-admins"] },
      settings,
      client,
    );
    expect(mapped).toMatchObject({ ok: true, user: { id: person.id, role: "ADMIN" } });
    const audit = await getDb().auditLog.findFirstOrThrow({
      where: { actorId: person.id, action: "auth.sign_in" },
      orderBy: { id: "desc" },
    });
    expect(audit.details).toMatchObject({ method: "oidc", previousRole: "VIEWER", role: "ADMIN", roleFrom: "mapping" });
  });

  it("refuses an unverified or missing email, a disabled account and a service account — each audited, nothing made", async () => {
    const users = await getDb().user.count();
    const sessions = await getDb().userSession.count();
    const unverified = email();
    expect(
      await checkOidcSignIn(getDb(), { sub: "x", email: unverified, email_verified: false, groups: ["backout-admins"] }, settings, client),
    ).toEqual({
      ok: false,
      reason: "unverified-email",
    });
    expect(await checkOidcSignIn(getDb(), { sub: "x", email_verified: true }, settings, client)).toEqual({ ok: false, reason: "no-email" });
    const disabled = await makeUser("ADMIN", { disabled: true });
    expect(await checkOidcSignIn(getDb(), { sub: "x", email: disabled.email, email_verified: true }, settings, client)).toEqual({
      ok: false,
      reason: "account-disabled",
    });
    const bot = await getDb().user.create({
      data: { email: email(), name: "bot", role: "ADMIN", serviceAccount: true },
      select: { email: true },
    });
    expect(await checkOidcSignIn(getDb(), { sub: "x", email: bot.email, email_verified: true }, settings, client)).toEqual({
      ok: false,
      reason: "service-account",
    });
    expect(await getDb().user.count()).toBe(users + 2); // the two made by this test, none by a sign-in
    expect(await getDb().userSession.count()).toBe(sessions);
    expect(
      await getDb().auditLog.count({
        where: { action: "auth.sign_in", outcome: "DENIED", details: { path: ["email"], equals: unverified } },
      }),
    ).toBe(1);
  });
});

describe("password sign-in switched off", () => {
  afterEach(() => {
    delete process.env.BACKOUT_PASSWORD_SIGN_IN;
  });

  it("refuses even the right password, without looking at it, and audits it", async () => {
    const person = await makeUser("ADMIN");
    process.env.BACKOUT_PASSWORD_SIGN_IN = "off";
    const result = await checkCredentials(getDb(), { email: person.email, password: "whatever" }, client);
    expect(result).toEqual({ ok: false, reason: "password sign-in off" });
    expect(
      await getDb().auditLog.count({
        where: { action: "auth.sign_in", outcome: "DENIED", details: { path: ["reason"], equals: "password sign-in off" } },
      }),
    ).toBeGreaterThan(0);
    expect(await getDb().userSession.count({ where: { userId: person.id } })).toBe(0);
  });
});
