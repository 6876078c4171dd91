// The evidence is shared between askers for a few seconds (every viewer of an open incident polls
// it), but never across a change to the incident or its settings, and never for longer.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { EVIDENCE_SHARE_MS, getIncidentForEvidence, loadEvidenceForRange } from "./evidence";

async function incidentRead(id: string) {
  const incident = await getIncidentForEvidence({ id });
  if (!incident) throw new Error("no incident");
  return incident;
}

describe("shared evidence", () => {
  it("is one computation for askers within EVIDENCE_SHARE_MS, and a new one after it", async () => {
    const { id } = await makeIncident();
    const incident = await incidentRead(id);
    const t = Date.now();
    const first = await loadEvidenceForRange(incident, null, 400, t);
    const again = await loadEvidenceForRange(await incidentRead(id), null, 400, t + EVIDENCE_SHARE_MS - 1);
    expect(again).toBe(first);
    expect(again.generatedAt).toBe(t);
    // Another width or range is another drawing.
    expect(await loadEvidenceForRange(incident, null, 300, t + 1)).not.toBe(first);
    expect(await loadEvidenceForRange(incident, "7d", 400, t + 1)).not.toBe(first);
    const later = await loadEvidenceForRange(incident, null, 400, t + EVIDENCE_SHARE_MS + 1);
    expect(later).not.toBe(first);
    expect(later.generatedAt).toBe(t + EVIDENCE_SHARE_MS + 1);
  });

  it("is computed again once anything happened on the incident or its settings changed", async () => {
    const { id, serviceId } = await makeIncident();
    const user = await makeUser("RESPONDER");
    const t = Date.now();
    const first = await loadEvidenceForRange(await incidentRead(id), null, 400, t);

    // An event on the incident (a decision, a step, a note: each is a live event).
    await getDb().$transaction((tx) => recordTimelineEvent(tx, { incidentId: id, kind: "NOTE", actorId: user.id, message: "a note" }));
    const afterEvent = await loadEvidenceForRange(await incidentRead(id), null, 400, t + 1);
    expect(afterEvent).not.toBe(first);
    expect(await loadEvidenceForRange(await incidentRead(id), null, 400, t + 2)).toBe(afterEvent);

    // The service's thresholds changed: the verdicts may be others.
    await getDb().service.update({ where: { id: serviceId }, data: { decisionThresholds: { errorRateHighPercent: 5 } } });
    expect(await loadEvidenceForRange(await incidentRead(id), null, 400, t + 3)).not.toBe(afterEvent);
  });
});
