import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { addNoteChange, starEventChange } from "./mutations";
import { getTimelineCounts, getTimelinePage } from "./queries";
import { parseTimelineQuery } from "./schemas";

const NOW = new Date("2026-12-05T13:00:00Z");
const OLDEST = parseTimelineQuery({});

describe("notes", () => {
  it("a responder's note about an earlier moment sits at that moment, says when it was written, and is audited", async () => {
    const [responder, incident] = [await makeUser("RESPONDER"), await makeIncident()];
    const at = new Date(NOW.getTime() - 62 * 60_000);
    const outcome = await addNoteChange.run(
      responder,
      { incidentId: incident.id, text: "First customer report", at: at.toISOString() },
      { now: NOW },
    );
    expect(outcome.ok).toBe(true);
    const db = getDb();
    const note = await db.timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "NOTE" } });
    expect(note).toMatchObject({ at, recordedAt: NOW, actorId: responder.id, source: "USER", message: "First customer report" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: note.id } });
    expect(audit).toMatchObject({ action: "timeline.add_note", outcome: "ALLOWED", incidentId: incident.id });
    const page = await getTimelinePage(incident.id, incident.number, OLDEST);
    const entry = page.entries.find((e) => e.id === note.id);
    expect(entry).toMatchObject({ category: "notes", source: "web", actor: responder.name, recordedAt: NOW.toISOString() });
  });

  it("refuses a time in the future, on its field, and writes nothing", async () => {
    const [responder, incident] = [await makeUser("RESPONDER"), await makeIncident()];
    const outcome = await addNoteChange.run(
      responder,
      { incidentId: incident.id, text: "From the future", at: new Date(NOW.getTime() + 10 * 60_000).toISOString() },
      { now: NOW },
    );
    expect(outcome).toMatchObject({ ok: false, code: "invalid", field: "at" });
    expect(await getDb().timelineEvent.count({ where: { incidentId: incident.id, kind: "NOTE" } })).toBe(0);
    const denied = await getDb().auditLog.findFirstOrThrow({ where: { actorId: responder.id, outcome: "DENIED" } });
    expect(denied.action).toBe("timeline.add_note");
  });

  it("refuses an empty note and a time that is not one", async () => {
    const [responder, incident] = [await makeUser("RESPONDER"), await makeIncident()];
    expect(await addNoteChange.run(responder, { incidentId: incident.id, text: "   " })).toMatchObject({ ok: false, field: "text" });
    expect(await addNoteChange.run(responder, { incidentId: incident.id, text: "x", at: "07:58" })).toMatchObject({
      ok: false,
      field: "at",
    });
  });
});

describe("stars", () => {
  it("a responder stars a key moment and unstars it; the same click twice writes one audit row; a stakeholder is refused", async () => {
    const [responder, viewer, incident] = [await makeUser("RESPONDER"), await makeUser("VIEWER"), await makeIncident()];
    await addNoteChange.runOrThrow(responder, { incidentId: incident.id, text: "Rollback decided on the bridge" });
    const db = getDb();
    const note = await db.timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "NOTE" } });
    expect(await starEventChange.run(viewer, { eventId: note.id, starred: true })).toMatchObject({ ok: false, code: "forbidden" });
    await starEventChange.runOrThrow(responder, { eventId: note.id, starred: true });
    await starEventChange.runOrThrow(responder, { eventId: note.id, starred: true });
    expect(await db.timelineEvent.findUniqueOrThrow({ where: { id: note.id } })).toMatchObject({ starredById: responder.id });
    expect(await db.auditLog.count({ where: { action: "timeline.star", entityId: note.id, outcome: "ALLOWED" } })).toBe(1);
    const starredOnly = await getTimelinePage(incident.id, incident.number, parseTimelineQuery({ starred: "1" }));
    expect(starredOnly.entries.map((e) => e.id)).toEqual([note.id]);
    expect((await getTimelineCounts(incident.id)).starred).toBe(1);
    await starEventChange.runOrThrow(responder, { eventId: note.id, starred: false });
    expect(await db.timelineEvent.findUniqueOrThrow({ where: { id: note.id } })).toMatchObject({ starredAt: null, starredById: null });
  });

  it("refuses an entry that does not exist", async () => {
    const responder = await makeUser("RESPONDER");
    expect(await starEventChange.run(responder, { eventId: "nope", starred: true })).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("pages", () => {
  it("walks the whole timeline in both orders without a gap or a repeat, and filters by kind", async () => {
    const incident = await makeIncident();
    const db = getDb();
    // 23 entries, several sharing a timestamp (the cursor orders them by id too).
    const base = NOW.getTime() - 3_600_000;
    await db.timelineEvent.createMany({
      data: Array.from({ length: 23 }, (_, i) => ({
        incidentId: incident.id,
        at: new Date(base + Math.floor(i / 3) * 1000),
        kind: i % 4 === 0 ? ("NOTE" as const) : ("STEP_STARTED" as const),
        source: "SYSTEM" as const,
        message: `entry ${i}`,
      })),
    });
    const all = await db.timelineEvent.findMany({ where: { incidentId: incident.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    for (const order of ["oldest", "newest"] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await getTimelinePage(incident.id, incident.number, parseTimelineQuery({ order }), { cursor, limit: 5 });
        seen.push(...page.entries.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      const expected = all.map((e) => e.id);
      expect(seen).toEqual(order === "oldest" ? expected : [...expected].reverse());
    }
    const notes = await getTimelinePage(incident.id, incident.number, parseTimelineQuery({ kinds: "notes" }), { limit: 100 });
    expect(notes.entries.length).toBe(all.filter((e) => e.kind === "NOTE").length);
    const counts = await getTimelineCounts(incident.id);
    expect(counts.byCategory.notes + counts.byCategory.rollback).toBe(counts.total);
  });
});
