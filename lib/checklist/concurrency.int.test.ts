// 20 editors, each on its own database connection pool, make 1,000 updates to a few items of one
// checklist with the real mutation: every accepted update is in the history and the final state,
// every refused one was answered "stale" with the current state, none is lost.
import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { type Db, getDb } from "@/lib/db";
import { createPrismaClient } from "@/lib/db-client";
import { makeUser } from "@/lib/testing/factories";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { startVerification, type UpdateItemResult, updateChecklistItem } from "./mutations";

const EDITORS = 20;
const UPDATES_EACH = 50;
const clients: Db[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
});

type Attempt = {
  editor: number;
  n: number;
  itemId: string;
  sentVersion: number;
  note: string;
  status: "PASSED" | "PENDING";
  result: UpdateItemResult;
};

describe("20 concurrent editors, 1,000 updates", () => {
  it("accepts or refuses each one; accepted = history = final state, refused = told stale with the current state", async () => {
    const { incident } = await makeRolledBackIncident();
    const starter = await makeUser("RESPONDER");
    await startVerification(starter, { incidentId: incident.id });
    const items = await getDb().checklistItem.findMany({
      where: { checklist: { incidentId: incident.id }, kind: "CHECK", notBefore: null },
      orderBy: { position: "asc" },
      take: 4,
      select: { id: true },
    });
    expect(items).toHaveLength(4);
    const editors: Actor[] = await Promise.all(
      Array.from({ length: EDITORS }, (_, i) => makeUser(i % 3 === 0 ? "RELEASE_MANAGER" : "RESPONDER")),
    );
    for (let i = 0; i < EDITORS; i++) {
      clients.push(createPrismaClient(process.env.DATABASE_URL!, 2));
    }

    const attempts: Attempt[] = [];
    await Promise.all(
      editors.map(async (actor, e) => {
        const db = clients[e];
        for (let n = 0; n < UPDATES_EACH; n++) {
          const itemId = items[(e + n) % items.length].id;
          // Read, think for a moment, write: as a browser does with what it shows.
          const seen = await db.checklistItem.findUniqueOrThrow({ where: { id: itemId }, select: { version: true } });
          if (n % 3 === 0) await new Promise((r) => setTimeout(r, Math.random() * 5));
          const note = `editor ${e} update ${n}`;
          const status = n % 2 === 0 ? "PASSED" : "PENDING";
          const result = await updateChecklistItem(actor, { itemId, version: seen.version, note, status }, { db });
          attempts.push({ editor: e, n, itemId, sentVersion: seen.version, note, status, result });
        }
      }),
    );

    expect(attempts).toHaveLength(EDITORS * UPDATES_EACH);
    const accepted = attempts.filter((a) => a.result.ok);
    const refused = attempts.filter((a) => !a.result.ok);
    expect(accepted.length + refused.length).toBe(1000);
    console.log(`[checklist] 1,000 concurrent updates: ${accepted.length} accepted, ${refused.length} refused as stale`);
    // Both outcomes happen under this contention (otherwise the test proves nothing).
    expect(accepted.length).toBeGreaterThan(50);
    expect(refused.length).toBeGreaterThan(50);

    for (const a of refused) {
      if (a.result.ok) throw new Error("unreachable");
      expect(a.result.code).toBe("stale");
      expect(a.result.message).toMatch(/was not saved/);
      expect(a.result.current.id).toBe(a.itemId);
      expect(a.result.current.version).toBeGreaterThan(a.sentVersion);
    }

    const history = await getDb().checklistItemChange.findMany({
      where: { itemId: { in: items.map((i) => i.id) } },
      select: { itemId: true, version: true, note: true, status: true, changedById: true, automatic: true },
    });
    expect(history).toHaveLength(accepted.length);
    const byKey = new Map(history.map((h) => [`${h.itemId}@${h.version}`, h]));
    for (const a of accepted) {
      if (!a.result.ok) throw new Error("unreachable");
      expect(a.result.item.version).toBe(a.sentVersion + 1);
      const h = byKey.get(`${a.itemId}@${a.result.item.version}`);
      expect(h).toMatchObject({ note: a.note, status: a.status, changedById: editors[a.editor].id, automatic: false });
    }

    const finals = await getDb().checklistItem.findMany({
      where: { id: { in: items.map((i) => i.id) } },
      select: { id: true, version: true, note: true, status: true },
    });
    for (const f of finals) {
      const mine = accepted.filter((a) => a.itemId === f.id);
      // Versions 2..final are exactly the accepted updates of this item: no gap, no duplicate.
      expect(mine.map((a) => (a.result.ok ? a.result.item.version : 0)).sort((x, y) => x - y)).toEqual(
        Array.from({ length: f.version - 1 }, (_, i) => i + 2),
      );
      const last = mine.find((a) => a.result.ok && a.result.item.version === f.version)!;
      expect({ note: f.note, status: f.status }).toEqual({ note: last.note, status: last.status });
    }

    expect(await getDb().auditLog.count({ where: { incidentId: incident.id, action: "checklist.item_update", outcome: "ALLOWED" } })).toBe(
      accepted.length,
    );
    // A refused update is audited on its item (the runner knows the item, not yet its incident).
    expect(
      await getDb().auditLog.count({
        where: { entityId: { in: items.map((i) => i.id) }, action: "checklist.item_update", outcome: "DENIED" },
      }),
    ).toBe(refused.length);
    // One live event per accepted update, carrying the item's new version; none for a refused one.
    const events = await getDb().liveEvent.findMany({
      where: { incidentId: incident.id, topic: "checklist", payload: { path: ["type"], equals: "item" } },
      select: { payload: true },
    });
    expect(events).toHaveLength(accepted.length);
    const published = new Set(
      events.map((e) => {
        const item = (e.payload as { item: { id: string; version: number } }).item;
        return `${item.id}@${item.version}`;
      }),
    );
    for (const a of accepted) if (a.result.ok) expect(published.has(`${a.itemId}@${a.result.item.version}`)).toBe(true);
  });
});
