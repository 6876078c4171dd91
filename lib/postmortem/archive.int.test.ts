// The incident archive against a real database: built for a signed-off incident with a rollback
// summary, a verification report, an agenda and step output; unzipped with fflate and listed: every
// document and each step's output in the named folders.
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { ensureRollbackSummary } from "@/lib/rollback/summary/generate";
import { makeUser } from "@/lib/testing/factories";
import { makeSignedOffIncident } from "@/lib/testing/signed-off-incident";
import { ARCHIVE_FOLDERS, buildIncidentArchive } from "./archive";
import { generateAgenda } from "./mutations";

describe("incident archive", () => {
  it("unpacks into the named folders and holds every document and each step's output", async () => {
    const f = await makeSignedOffIncident();
    const db = getDb();
    const step = await db.rollbackStep.findFirstOrThrow({ where: { runId: f.run.id } });
    await db.stepLogLine.createMany({
      data: [
        { stepId: step.id, stream: "STDOUT", line: "switching router to blue" },
        { stepId: step.id, stream: "STDERR", line: "warning: 3 connections drained" },
      ],
    });
    await ensureRollbackSummary(f.run.id);
    await generateAgenda(await makeUser("RESPONDER"), { incidentId: f.incident.id });
    const documents = await db.document.findMany({ where: { incidentId: f.incident.id } });
    expect(documents.map((d) => d.kind).sort()).toEqual(["POSTMORTEM_AGENDA", "ROLLBACK_SUMMARY", "VERIFICATION_REPORT"]);

    const entries = unzipSync(await buildIncidentArchive(f.incident.id));
    const names = Object.keys(entries).sort();
    const root = `INC-${f.incident.number}/`;
    expect(names.every((n) => n.startsWith(root))).toBe(true);
    const listed = names.map((n) => n.slice(root.length));
    // Every folder is there, and nothing is outside them.
    expect(new Set(listed.map((n) => n.split("/")[0]))).toEqual(new Set(ARCHIVE_FOLDERS));
    expect(listed).toEqual(
      expect.arrayContaining([
        "assessment/incident.json",
        "metrics-at-decision/decision-1-evidence.json",
        "preparation/decision-1.json",
        "execution/run-1/run.json",
        "execution/run-1/step-01-switch.json",
        "execution/run-1/step-01-switch.log",
        "execution/rollback-summary-run-1-v1.md",
        "verification/checklist.json",
        "verification/verification-report-v1.md",
        "analysis/timeline.md",
        "analysis/timeline.json",
        "documentation/postmortem-agenda-v1.md",
        "documentation/postmortem-agenda-v1.ics",
        "documentation/action-items.json",
        "documentation/README.md",
      ]),
    );
    const text = (name: string) => strFromU8(entries[root + name]!);
    expect(text("execution/run-1/step-01-switch.log")).toMatch(
      /stdout switching router to blue\n.*stderr warning: 3 connections drained\n$/,
    );
    // Each document is its current version's Markdown, byte for byte.
    for (const d of documents) {
      const v = await db.documentVersion.findFirstOrThrow({ where: { documentId: d.id }, orderBy: { version: "desc" } });
      expect(Object.values(entries).some((bytes) => strFromU8(bytes) === v.markdown)).toBe(true);
    }
    expect(JSON.parse(text("assessment/incident.json"))).toMatchObject({
      number: f.incident.number,
      badVersion: "v2",
      previousVersion: "v1",
    });
    expect(JSON.parse(text("verification/checklist.json")).signOffs).toHaveLength(3);
    expect(text("documentation/postmortem-agenda-v1.ics")).toContain("BEGIN:VCALENDAR");
  });
});
