// The post-mortem agenda generated from a signed-off incident against a real database: attendees
// with their roles, the seven sections (75 minutes), the incident's own timeline in section 2, a
// meeting within 48 h of the sign-off, and an invitation that a well-kept iCalendar parser reads
// back with that date. Refusals: a stakeholder, an incident not signed off yet.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { documentPdf } from "@/lib/documents/pdf-export";
import { getDocumentVersion } from "@/lib/documents/queries";
import { makeUser } from "@/lib/testing/factories";
import { expectRefusedOnce } from "@/lib/testing/refusals";
import { makeRolledBackIncident } from "@/lib/testing/rolled-back-incident";
import { makeSignedOffIncident } from "@/lib/testing/signed-off-incident";
import { type AgendaContent, renderAgendaIcs } from "./agenda";
import { generateAgenda, generateAgendaChange } from "./mutations";

const HOUR = 3_600_000;

function parseIcs(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = new ICAL.Event(calendar.getFirstSubcomponent("vevent")!);
  return {
    event,
    attendees: calendar
      .getFirstSubcomponent("vevent")!
      .getAllProperties("attendee")
      .map((p) => String(p.getFirstValue())),
  };
}

describe("post-mortem agenda", () => {
  it("is generated from the incident: attendees, seven sections of 75 min, the timeline in section 2, a date within 48 h", async () => {
    const signedOffAt = new Date("2026-12-02T15:20:00Z");
    const f = await makeSignedOffIncident({ signedOffAt });
    await getDb().timelineEvent.create({
      data: {
        incidentId: f.incident.id,
        kind: "NOTE",
        source: "USER",
        actorId: f.proposer.id,
        message: "Pool exhausted on v2",
        at: new Date("2026-12-02T13:00:00Z"),
      },
    });
    const facilitator = await makeUser("RESPONDER");
    const saved = await generateAgenda(facilitator, { incidentId: f.incident.id }, { now: new Date("2026-12-02T16:00:00Z") });
    expect(saved.version).toBe(1);

    const read = (await getDocumentVersion(saved.documentId))!;
    expect(read.document.kind).toBe("POSTMORTEM_AGENDA");
    const agenda = read.version.content as AgendaContent;

    // Attendees: the facilitator first, the release manager and technical lead (from their sign-offs), everyone who acted.
    const roleOf = (email: string) => agenda.attendees.find((a) => a.email === email)?.roles ?? [];
    expect(agenda.attendees[0]).toMatchObject({ email: facilitator.email, roles: ["Facilitator"] });
    expect(roleOf(f.rm.email)).toEqual(expect.arrayContaining(["Release manager", "signed off as release manager"]));
    expect(roleOf(f.lead.email)).toEqual(expect.arrayContaining(["Technical lead"]));
    expect(roleOf(f.devops.email)).toEqual(expect.arrayContaining(["signed off as DevOps engineer"]));
    expect(roleOf(f.proposer.email)).toEqual(["proposed the rollback", "started the rollback"]);

    // The seven sections with their minutes.
    expect(agenda.sections.map((s) => [s.title, s.minutes])).toEqual([
      ["Introduction", 5],
      ["Timeline review", 10],
      ["What happened", 15],
      ["What went well", 10],
      ["What can be improved", 15],
      ["Action items", 15],
      ["Follow-up", 5],
    ]);
    expect(agenda.sections.reduce((sum, s) => sum + s.minutes, 0)).toBe(75);

    // Section 2 is this incident's timeline, entry by entry.
    const events = await getDb().timelineEvent.findMany({ where: { incidentId: f.incident.id, kind: { not: "CHECKLIST_ITEM_UPDATED" } } });
    expect(events.length).toBeGreaterThanOrEqual(4);
    const section2 = agenda.sections[1]!.points.join("\n");
    for (const e of events.filter((e) => e.kind !== "DOCUMENT_UPDATED" || !e.message.startsWith("Post-mortem"))) {
      expect(section2).toContain(e.message);
    }
    expect(section2).toContain("2026-12-02 13:00 UTC — Pool exhausted on v2");

    // Proposed within 48 h of the sign-off (the next day at 10:00 UTC).
    const start = Date.parse(agenda.meeting.start);
    expect(agenda.meeting.anchor.at).toBe(signedOffAt.toISOString());
    expect(start).toBeGreaterThan(signedOffAt.getTime());
    expect(Date.parse(agenda.meeting.end) - signedOffAt.getTime()).toBeLessThanOrEqual(48 * HOUR);
    expect(agenda.meeting.start).toBe("2026-12-03T10:00:00.000Z");

    // The Markdown has it all; the timeline went on the incident's timeline.
    const md = read.version.markdown;
    expect(md).toContain("## Agenda (75 min)");
    expect(md).toContain("### 2. Timeline review (10 min)");
    expect(md).toContain("- [ ] Send the meeting notes");
    expect(md).toContain("## Meeting rules");
    const entry = await getDb().timelineEvent.findFirst({
      where: { incidentId: f.incident.id, kind: "DOCUMENT_UPDATED", payload: { path: ["kind"], equals: "POSTMORTEM_AGENDA" } },
    });
    expect(entry?.actorId).toBe(facilitator.id);

    // The invitation parses with ical.js and carries that date and the attendees.
    const { event, attendees } = parseIcs(renderAgendaIcs(agenda, `postmortem-${saved.documentId}@backout`, saved.version));
    expect(event.startDate.toJSDate().toISOString()).toBe(agenda.meeting.start);
    expect(event.endDate.toJSDate().getTime() - start).toBe(75 * 60_000);
    expect(event.summary).toContain(`INC-${f.incident.number}`);
    expect(attendees).toEqual(expect.arrayContaining([`mailto:${f.rm.email}`, `mailto:${facilitator.email}`]));

    // And as a PDF, through the documents' one PDF renderer.
    const pdf = await documentPdf(read);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("regenerating makes a new version; skipping weekends moves a Friday sign-off's meeting to Monday", async () => {
    const signedOffAt = new Date("2026-12-04T16:00:00Z"); // a Friday
    const f = await makeSignedOffIncident({ signedOffAt });
    const responder = await makeUser("RESPONDER");
    const first = await generateAgenda(responder, { incidentId: f.incident.id, facilitatorId: f.lead.id });
    expect(((await getDocumentVersion(first.documentId))!.version.content as AgendaContent).meeting.start).toBe("2026-12-05T10:00:00.000Z");
    const second = await generateAgenda(responder, { incidentId: f.incident.id, skipWeekends: "on", withinHours: "48" });
    expect(second).toMatchObject({ documentId: first.documentId, version: 2 });
    const agenda = (await getDocumentVersion(first.documentId))!.version.content as AgendaContent;
    expect(agenda.meeting).toMatchObject({ start: "2026-12-07T10:00:00.000Z", skipWeekends: true });
  });

  it("is refused to a stakeholder, and before the verification is signed off (audited, nothing written)", async () => {
    const f = await makeSignedOffIncident();
    const viewer = await makeUser("VIEWER");
    const documents = () => getDb().document.findMany({ where: { incidentId: f.incident.id, kind: "POSTMORTEM_AGENDA" } });
    await expectRefusedOnce({
      actor: viewer,
      action: "postmortem.generate_agenda",
      run: () => generateAgendaChange.run(viewer, { incidentId: f.incident.id }),
      snapshot: documents,
    });
    const open = await makeRolledBackIncident();
    const responder = await makeUser("RESPONDER");
    await expectRefusedOnce({
      actor: responder,
      action: "postmortem.generate_agenda",
      code: "conflict",
      run: () => generateAgendaChange.run(responder, { incidentId: open.incident.id }),
      snapshot: () => getDb().document.count({ where: { incidentId: open.incident.id } }),
    });
    const tooShort = await generateAgendaChange.run(responder, { incidentId: f.incident.id, withinHours: 2 });
    expect(tooShort).toMatchObject({ ok: false, code: "invalid", field: "withinHours" });
  });
});
