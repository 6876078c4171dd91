import { describe, expect, it } from "vitest";
import { absentText, computeMilestones, type MilestoneEvent, type MilestoneFacts } from "./milestones";

const T0 = Date.parse("2026-12-05T10:00:00Z");
const at = (minutes: number, seconds = 0) => new Date(T0 + minutes * 60_000 + seconds * 1000);
const facts: MilestoneFacts = { deployedAt: at(0), detectedAt: at(12) };
const traffic = { changesTraffic: true, destructive: false };
const plain = { changesTraffic: false, destructive: false };

/** A complete incident: every milestone recorded. */
const complete: MilestoneEvent[] = [
  { kind: "INCIDENT_DECLARED", at: at(14) },
  { kind: "EVIDENCE_FROZEN", at: at(20) },
  { kind: "DECISION_PROPOSED", at: at(20), payload: { decisionId: "d1" } },
  { kind: "DECISION_APPROVED", at: at(23), payload: { decisionId: "d1", approved: true } },
  { kind: "STEP_STARTED", at: at(24), step: plain },
  { kind: "STEP_SUCCEEDED", at: at(25), step: plain },
  { kind: "STEP_SUCCEEDED", at: at(27, 30), step: traffic },
  { kind: "DOCUMENT_UPDATED", at: at(40), payload: { kind: "ROLLBACK_SUMMARY", stableAt: at(31).toISOString() } },
  { kind: "CHECKLIST_LOCKED", at: at(70) },
  { kind: "INCIDENT_RESOLVED", at: at(75) },
];

const durations = (events: MilestoneEvent[], f = facts) =>
  Object.fromEntries(computeMilestones(f, events).durations.map((d) => [d.key, d.ms]));
const milestoneAt = (events: MilestoneEvent[], f = facts) =>
  Object.fromEntries(computeMilestones(f, events).milestones.map((m) => [m.key, m.at]));

describe("computeMilestones", () => {
  it("reads every milestone of a complete incident and the times between them", () => {
    expect(milestoneAt(complete)).toEqual({
      deployed: at(0).toISOString(),
      detected: at(12).toISOString(),
      declared: at(14).toISOString(),
      decided: at(20).toISOString(),
      approved: at(23).toISOString(),
      switched: at(27, 30).toISOString(),
      stable: at(31).toISOString(),
      verified: at(70).toISOString(),
      resolved: at(75).toISOString(),
    });
    expect(durations(complete)).toEqual({
      detect: 12 * 60_000,
      decide: 8 * 60_000,
      rollback: 4.5 * 60_000,
      stabilise: 3.5 * 60_000,
      verify: 39 * 60_000,
      total: 75 * 60_000,
    });
  });

  it("leaves out what an incident resolved without a rollback never had, and the durations that need it", () => {
    const events: MilestoneEvent[] = [
      { kind: "INCIDENT_DECLARED", at: at(14) },
      { kind: "NOTE", at: at(30) },
      { kind: "SIGN_OFF_WAIVED", at: at(44) },
      { kind: "INCIDENT_RESOLVED", at: at(45) },
    ];
    const m = milestoneAt(events);
    expect([m.decided, m.approved, m.switched, m.stable, m.verified]).toEqual([null, null, null, null, null]);
    expect(m.resolved).toBe(at(45).toISOString());
    expect(durations(events)).toEqual({
      detect: 12 * 60_000,
      decide: null,
      rollback: null,
      stabilise: null,
      verify: null,
      total: 45 * 60_000,
    });
  });

  it("does not guess stability when the summary could not measure it, so time to verify is missing too", () => {
    const events = complete.map((e) =>
      e.kind === "DOCUMENT_UPDATED" ? { ...e, payload: { kind: "ROLLBACK_SUMMARY", stableAt: null } } : e,
    );
    const d = durations(events);
    expect(d.stabilise).toBeNull();
    expect(d.verify).toBeNull();
    expect(d.rollback).toBe(4.5 * 60_000);
  });

  it("counts the approved plan's proposal, not a superseded one, and only a completed approval", () => {
    const events: MilestoneEvent[] = [
      { kind: "DECISION_PROPOSED", at: at(15), payload: { decisionId: "d1" } },
      { kind: "DECISION_APPROVED", at: at(16), payload: { decisionId: "d1", approved: false } },
      { kind: "DECISION_VOIDED", at: at(18), payload: { decisionId: "d1" } },
      { kind: "DECISION_PROPOSED", at: at(18), payload: { decisionId: "d2" } },
      { kind: "DECISION_APPROVED", at: at(19), payload: { decisionId: "d2", approved: false } },
      { kind: "DECISION_APPROVED", at: at(21), payload: { decisionId: "d2", approved: true } },
    ];
    const m = milestoneAt(events);
    expect(m.decided).toBe(at(18).toISOString());
    expect(m.approved).toBe(at(21).toISOString());
  });

  it("has no approval while a proposal waits, and takes the latest proposal as the decision", () => {
    const events: MilestoneEvent[] = [
      { kind: "DECISION_PROPOSED", at: at(15), payload: { decisionId: "d1" } },
      { kind: "DECISION_REJECTED", at: at(17), payload: { decisionId: "d1" } },
      { kind: "DECISION_PROPOSED", at: at(19), payload: { decisionId: "d2" } },
    ];
    const m = milestoneAt(events);
    expect(m.decided).toBe(at(19).toISOString());
    expect(m.approved).toBeNull();
    expect(durations(events).rollback).toBeNull();
  });

  it("takes a restore as the switch when no step changes traffic, and ignores steps that did neither", () => {
    const events: MilestoneEvent[] = [
      { kind: "STEP_SUCCEEDED", at: at(25), step: plain },
      { kind: "STEP_SUCCEEDED", at: at(33), step: { changesTraffic: false, destructive: true } },
      { kind: "STEP_SUCCEEDED", at: at(35), step: plain },
    ];
    expect(milestoneAt(events).switched).toBe(at(33).toISOString());
    expect(milestoneAt([{ kind: "STEP_SUCCEEDED", at: at(25), step: plain }]).switched).toBeNull();
    // A failed switch is not a switch.
    expect(milestoneAt([{ kind: "STEP_FAILED", at: at(25), step: traffic }]).switched).toBeNull();
  });

  it("is not verified when the checklist was unlocked after its lock", () => {
    const events = [...complete, { kind: "CHECKLIST_UNLOCKED", at: at(72) }].filter((e) => e.kind !== "INCIDENT_RESOLVED");
    expect(milestoneAt(events).verified).toBeNull();
    expect(milestoneAt([...events, { kind: "CHECKLIST_LOCKED", at: at(80) }]).verified).toBe(at(80).toISOString());
  });

  it('calls what has not happened on an open incident "not yet", and "missing" only once it is resolved without it', () => {
    const open = complete.filter((e) => e.kind === "INCIDENT_DECLARED" || e.kind === "DECISION_PROPOSED");
    expect(computeMilestones(facts, open).resolved).toBe(false);
    expect(absentText(computeMilestones(facts, open))).toBe("not yet");
    const resolvedEarly = [...open, { kind: "INCIDENT_RESOLVED", at: at(45) }];
    expect(computeMilestones(facts, resolvedEarly).resolved).toBe(true);
    expect(absentText(computeMilestones(facts, resolvedEarly))).toBe("missing");
    // The incident's status decides when given: resolved without the timeline saying so, or not.
    expect(absentText(computeMilestones({ ...facts, resolved: true }, open))).toBe("missing");
    expect(absentText(computeMilestones({ ...facts, resolved: false }, resolvedEarly))).toBe("not yet");
  });

  it("reads events in any order and tolerates missing facts", () => {
    const shuffled = [...complete].reverse();
    expect(durations(shuffled)).toEqual(durations(complete));
    const noFacts = durations(complete, { deployedAt: null, detectedAt: null });
    expect(noFacts.detect).toBeNull();
    expect(noFacts.decide).toBeNull();
    expect(noFacts.total).toBeNull();
    expect(noFacts.rollback).toBe(4.5 * 60_000);
  });
});
