import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { getDb } from "@/lib/db";
import { hashSecretToken } from "@/lib/security/tokens";
import { postStatusUpdate } from "@/lib/status-updates/mutations";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { createShareLink, createShareLinkChange, revokeShareLink, revokeShareLinkChange } from "./mutations";
import { getSharedIncident, openShareLink } from "./queries";

const DAY = 24 * 60 * 60_000;
let clock: ReturnType<typeof fixedClock> | null = null;
afterEach(() => {
  clock?.restore();
  clock = null;
});

const opensOf = (linkId: string) =>
  getDb().auditLog.findMany({ where: { action: "share_link.open", entityId: linkId }, orderBy: { id: "asc" } });

describe("share links", () => {
  it("are made by a release manager: 256-bit token shown once, stored hashed, 7 days by default, audited without the token", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const incident = await makeIncident();
    const at = new Date("2026-12-05T10:00:00Z");
    const { id, token, expiresAt } = await createShareLink(rm, { incidentId: incident.id }, at);
    expect(token).toMatch(/^bs_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.getTime() - at.getTime()).toBe(7 * DAY);
    const row = await getDb().shareLink.findUniqueOrThrow({
      where: { id },
      select: { tokenHash: true, showNames: true, createdById: true },
    });
    expect(row).toEqual({ tokenHash: hashSecretToken(token), showNames: false, createdById: rm.id });
    const audit = await getDb().auditLog.findMany({ where: { action: "share_link.create", entityId: id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: "ALLOWED", actorId: rm.id, incidentId: incident.id });
    expect(JSON.stringify(audit[0]?.details)).not.toContain(token.slice(3));
  });

  it("takes a chosen expiry, and refuses one not offered", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const incident = await makeIncident();
    const at = new Date("2026-12-05T10:00:00Z");
    const { expiresAt } = await createShareLink(rm, { incidentId: incident.id, expiresInDays: 1 }, at);
    expect(expiresAt.getTime() - at.getTime()).toBe(DAY);
    await expect(createShareLink(rm, { incidentId: incident.id, expiresInDays: 365 })).rejects.toMatchObject({
      code: "invalid",
      field: "expiresInDays",
    });
  });

  it("cannot be made or revoked by anyone but a release manager: refused, nothing changes, audited DENIED", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const incident = await makeIncident();
    const { id } = await createShareLink(rm, { incidentId: incident.id });
    for (const role of ["VIEWER", "RESPONDER", "ADMIN"] as const) {
      const person = await makeUser(role);
      expect(await createShareLinkChange.run(person, { incidentId: incident.id })).toMatchObject({ ok: false, code: "forbidden" });
      expect(await revokeShareLinkChange.run(person, { shareLinkId: id })).toMatchObject({ ok: false, code: "forbidden" });
      const denied = await getDb().auditLog.findMany({ where: { actorId: person.id, outcome: "DENIED" }, orderBy: { id: "asc" } });
      expect(denied.map((d) => [d.action, d.incidentId])).toEqual([
        ["share_link.create", incident.id],
        ["share_link.revoke", incident.id],
      ]);
    }
    expect(await getDb().shareLink.count({ where: { incidentId: incident.id } })).toBe(1);
    expect((await getDb().shareLink.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });

  it("open while valid, stop at once when revoked, and every opening is audited", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const incident = await makeIncident();
    const { id, token } = await createShareLink(rm, { incidentId: incident.id });
    expect(await openShareLink(token, { address: "203.0.113.7" })).toMatchObject({ ok: true, linkId: id, incidentId: incident.id });
    await revokeShareLink(rm, { shareLinkId: id });
    expect(await openShareLink(token)).toEqual({ ok: false, reason: "revoked" });
    const opens = await opensOf(id);
    expect(opens.map((o) => [o.outcome, o.incidentId, o.actorId])).toEqual([
      ["ALLOWED", incident.id, null],
      ["DENIED", incident.id, null],
    ]);
    expect(opens[0]?.details).toMatchObject({ address: "203.0.113.7" });
    expect(opens[1]?.details).toMatchObject({ reason: "revoked" });
    // Revoking twice is a conflict, not a second revocation.
    expect(await revokeShareLinkChange.run(rm, { shareLinkId: id })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("count a page re-rendering itself at once from the same address as the same opening", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const incident = await makeIncident();
    const { id, token } = await createShareLink(rm, { incidentId: incident.id });
    await openShareLink(token, { address: "203.0.113.7" });
    expect(await openShareLink(token, { address: "203.0.113.7" })).toMatchObject({ ok: true });
    await openShareLink(token, { address: "198.51.100.2" });
    expect((await opensOf(id)).map((o) => (o.details as { address?: string }).address)).toEqual(["203.0.113.7", "198.51.100.2"]);
  });

  it("count an open page's own refreshes as its opening for half a day, per address; a refresh is still checked and audited when refused", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const incident = await makeIncident();
    const { id, token } = await createShareLink(rm, { incidentId: incident.id });
    const addresses = async () => (await opensOf(id)).map((o) => `${o.outcome} ${(o.details as { address?: string }).address}`);
    await openShareLink(token, { address: "203.0.113.7" });
    expect(await openShareLink(token, { address: "203.0.113.7", refresh: true })).toMatchObject({ ok: true });
    expect(await openShareLink(token, { address: "203.0.113.7", refresh: true })).toMatchObject({ ok: true });
    // A "refresh" from an address that never opened the link (the claim is a header anyone can send) is an opening.
    expect(await openShareLink(token, { address: "198.51.100.2", refresh: true })).toMatchObject({ ok: true });
    expect(await addresses()).toEqual(["ALLOWED 203.0.113.7", "ALLOWED 198.51.100.2"]);
    // The window: an opening 11 hours ago still covers this address's refreshes, one 13 hours ago does not.
    const hoursAgo = (h: number, address: string) =>
      getDb().auditLog.create({
        data: {
          at: new Date(Date.now() - h * 3600_000),
          action: "share_link.open",
          outcome: "ALLOWED",
          entityType: "ShareLink",
          entityId: id,
          incidentId: incident.id,
          details: { address },
        },
      });
    await hoursAgo(11, "192.0.2.11");
    await hoursAgo(13, "192.0.2.13");
    await openShareLink(token, { address: "192.0.2.11", refresh: true });
    await openShareLink(token, { address: "192.0.2.13", refresh: true });
    expect((await addresses()).slice(2)).toEqual(["ALLOWED 192.0.2.11", "ALLOWED 192.0.2.13", "ALLOWED 192.0.2.13"]);
    // Revoked: the open page's next refresh is refused, and that is audited.
    await revokeShareLink(rm, { shareLinkId: id });
    expect(await openShareLink(token, { address: "203.0.113.7", refresh: true })).toEqual({ ok: false, reason: "revoked" });
    expect((await opensOf(id)).at(-1)).toMatchObject({ outcome: "DENIED", details: { reason: "revoked", address: "203.0.113.7" } });
  });

  it("expire on the clock", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const incident = await makeIncident();
    clock = fixedClock(new Date("2026-12-05T10:00:00Z"));
    const { id, token } = await createShareLink(rm, { incidentId: incident.id, expiresInDays: 7 });
    clock.advance(7 * DAY - 1000);
    expect(await openShareLink(token)).toMatchObject({ ok: true });
    clock.advance(1000);
    expect(await openShareLink(token)).toEqual({ ok: false, reason: "expired" });
    expect((await opensOf(id)).map((o) => [o.outcome, (o.details as { reason?: string }).reason ?? null])).toEqual([
      ["ALLOWED", null],
      ["DENIED", "expired"],
    ]);
  });

  it("open nothing for a string that is not a link's token, and write no row for it", async () => {
    const before = await getDb().auditLog.count({ where: { action: "share_link.open" } });
    expect(await openShareLink("not-a-token")).toEqual({ ok: false, reason: "malformed" });
    expect(await openShareLink(`bs_${"A".repeat(43)}`)).toEqual({ ok: false, reason: "unknown" });
    expect(await getDb().auditLog.count({ where: { action: "share_link.open" } })).toBe(before);
  });

  it("show people's names only when the creator chose to", async () => {
    const responder = await makeUser("RESPONDER");
    const incident = await makeIncident();
    await postStatusUpdate(responder, {
      incidentId: incident.id,
      after: 0,
      status: `Rolling back; ${responder.name} is on it`,
      impact: "Some checkouts fail",
      actions: `Ask ${responder.email} for details`,
      nextUpdateInMinutes: 30,
    });
    const hidden = await getSharedIncident(incident.id, false);
    const text = JSON.stringify(hidden);
    expect(text).not.toContain(responder.name);
    expect(text).not.toContain(responder.email);
    expect(hidden.latestUpdate?.status).toBe("Rolling back; someone is on it");
    expect(hidden.latestUpdate?.author).toBeNull();
    expect(hidden.events.some((e) => e.kind === "STATUS_UPDATE_POSTED" && e.message.startsWith("Someone posted"))).toBe(true);
    const shown = await getSharedIncident(incident.id, true);
    expect(shown.latestUpdate?.author?.name).toBe(responder.name);
    expect(shown.events.find((e) => e.kind === "STATUS_UPDATE_POSTED")?.actor).toBe(responder.name);
  });
});
