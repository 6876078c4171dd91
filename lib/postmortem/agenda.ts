// The post-mortem meeting agenda: built from the incident's facts (who took part and how, its
// timeline, impact, the rollback, draft action items) as structured content, rendered to Markdown
// (lib/documents/markdown.ts) and to an iCalendar invitation (the `ics` library). Pure.

import { createEvent, type EventAttributes } from "ics";
import type { DocumentIncidentFacts } from "@/lib/documents/incident-facts";
import {
  bulletList,
  factsTable,
  heading,
  markdownDocument,
  orderedList,
  paragraph,
  renderMarkdown,
  strong,
  table,
  taskList,
} from "@/lib/documents/markdown";
import { formatDuration } from "@/lib/metrics/format";
import { formatUtc, formatUtcOrDash } from "@/lib/time/format";
import { MEETING_MINUTES, proposeMeeting, type ScheduleOptions } from "./schedule";

export const AGENDA_SCHEMA_VERSION = 1;

/** What the agenda is built from (lib/postmortem/facts.ts reads it). Times are ISO strings. */
export type AgendaFacts = {
  incident: DocumentIncidentFacts & {
    summary: string;
  };
  impact: { usersAffected: number | null; supportTickets: number | null; complaints: number | null; failedTransactions: number | null };
  /** When verification was signed off (the checklist locked), or null. */
  signedOffAt: string | null;
  decision: { tier: string; strategy: string; reason: string; decidedAt: string } | null;
  run: { status: string; startedAt: string | null; endedAt: string | null; failedSteps: string[] } | null;
  people: Person[];
  timeline: { at: string; kind: string; message: string; actor: string | null }[];
  actionItems: { title: string; owner: string | null; dueDate: string | null; priority: string; status: string }[];
  /** What the root-cause analysis says so far (the people's parts), when there is one. */
  rca: { rootCause: string; wentWell: string; wentWrong: string; lessons: string[] } | null;
};

export type Person = {
  id: string;
  name: string;
  email: string;
  /** What they did in the incident, in words ("proposed the rollback", "signed off as DevOps"). */
  did: string[];
  /** Signed off as the release manager / technical lead, or approved the rollback. */
  releaseManager: boolean;
  technicalLead: boolean;
};

export type Attendee = { name: string; email: string; roles: string[] };
export type AgendaSection = { number: number; key: string; title: string; minutes: number; points: string[] };

export type AgendaContent = {
  schema: typeof AGENDA_SCHEMA_VERSION;
  generatedAt: string;
  incident: AgendaFacts["incident"];
  meeting: {
    start: string;
    end: string;
    minutes: number;
    /** What the window counts from, and its end. */
    anchor: { at: string; what: string };
    deadline: string;
    withinHours: number;
    skipWeekends: boolean;
  };
  facilitator: string;
  attendees: Attendee[];
  objectives: string[];
  sections: AgendaSection[];
  rules: string[];
  checklist: string[];
};

export const SECTION_MINUTES = [
  ["introduction", "Introduction", 5],
  ["timeline", "Timeline review", 10],
  ["what-happened", "What happened", 15],
  ["went-well", "What went well", 10],
  ["improve", "What can be improved", 15],
  ["action-items", "Action items", 15],
  ["follow-up", "Follow-up", 5],
] as const;

export const OBJECTIVES = [
  "Understand what happened and why, from the record rather than from memory.",
  "Focus on systems and processes, not on people: nobody is blamed for what they did with what they knew at the time.",
  "Find what made the problem possible and what made it harder to detect or undo.",
  "Agree on action items with an owner, a due date and a priority, so the next release is safer.",
  "Share what we learned with the teams who were not in the room.",
];

export const RULES = [
  "Blameless: describe actions and decisions, not people's failings; assume everyone acted in good faith with what they knew.",
  "Facts first: use the timeline and the evidence; say when something is a guess.",
  "One conversation at a time; the facilitator keeps to the times of each section.",
  "Every improvement becomes an action item with an owner, or is dropped on purpose.",
  "What is said here stays factual in the written notes; names appear only as roles in the summary.",
];

export const POST_MEETING_CHECKLIST = [
  "Send the meeting notes to the attendees and stakeholders within 24 hours.",
  "Enter every agreed action item in Backout with owner, due date and priority.",
  "Update the root-cause analysis with what the meeting established.",
  "Propose runbook revisions from the action items that change a procedure.",
  "Write or update the re-deployment plan for the rolled-back version.",
  "Schedule a review of the HIGH priority action items before the re-deployment.",
];

// Documents are UTC and say so; an agenda to the minute (lib/time/format.ts).
const fmt = (iso: string | null) => formatUtcOrDash(iso, "minute");
const between = (a: string | null, b: string | null) => (a && b ? formatDuration(Date.parse(b) - Date.parse(a)) : null);

/** The attendees with their roles in the meeting: release manager, technical lead, facilitator, and what each did. */
export function attendeesOf(people: readonly Person[], facilitator: { name: string; email: string }): Attendee[] {
  const list: Attendee[] = people.map((p) => ({
    name: p.name,
    email: p.email,
    roles: [...(p.releaseManager ? ["Release manager"] : []), ...(p.technicalLead ? ["Technical lead"] : []), ...p.did],
  }));
  const existing = list.find((a) => a.email === facilitator.email);
  if (existing) existing.roles.unshift("Facilitator");
  else list.unshift({ name: facilitator.name, email: facilitator.email, roles: ["Facilitator"] });
  // Facilitator first, then the release manager and the technical lead, then everyone who acted.
  const rank = (a: Attendee) =>
    a.roles.includes("Facilitator") ? 0 : a.roles.includes("Release manager") ? 1 : a.roles.includes("Technical lead") ? 2 : 3;
  return list.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

function impactLine(impact: AgendaFacts["impact"]): string {
  const parts = [
    impact.usersAffected !== null ? `${impact.usersAffected.toLocaleString("en")} users affected` : null,
    impact.failedTransactions !== null ? `${impact.failedTransactions.toLocaleString("en")} failed transactions` : null,
    impact.supportTickets !== null ? `${impact.supportTickets.toLocaleString("en")} support tickets` : null,
    impact.complaints !== null ? `${impact.complaints.toLocaleString("en")} complaints` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? `Impact: ${parts.join(", ")}.` : "Impact: not recorded yet — establish it in the meeting.";
}

function sectionPoints(f: AgendaFacts): Record<(typeof SECTION_MINUTES)[number][0], string[]> {
  const i = f.incident;
  const detectDelay = between(i.deployedAt, i.detectedAt);
  const toDecision = f.decision ? between(i.detectedAt, f.decision.decidedAt) : null;
  const rollbackTook = f.run ? between(f.run.startedAt, f.run.endedAt) : null;
  return {
    introduction: [
      `Purpose: learn from INC-${i.number} (${i.title}) on ${i.service}, ${i.severity}.`,
      "Read out the objectives and the rules; agree who takes notes.",
    ],
    timeline:
      f.timeline.length > 0
        ? f.timeline.map((e) => `${fmt(e.at)} — ${e.message}${e.actor ? ` (${e.actor})` : ""}`)
        : ["No timeline entries were recorded."],
    "what-happened": [
      `Release ${i.badVersion} of ${i.service} was deployed at ${fmt(i.deployedAt)}; the problem was detected at ${fmt(i.detectedAt)}${detectDelay ? ` (${detectDelay} later)` : ""}.`,
      impactLine(f.impact),
      f.decision
        ? `Decision: ${f.decision.tier} ${f.decision.strategy.toLowerCase().replaceAll("_", " ")} rollback to ${i.previousVersion} — “${f.decision.reason}”.`
        : "No rollback decision was recorded.",
      f.run ? `Rollback run ${f.run.status.toLowerCase()}${rollbackTook ? ` in ${rollbackTook}` : ""}.` : "No rollback was run.",
      ...(i.summary ? [`Summary: ${i.summary}`] : []),
      ...(f.rca?.rootCause ? [`Root cause (RCA): ${f.rca.rootCause}`] : []),
    ],
    "went-well": [
      ...(toDecision ? [`From detection to decision: ${toDecision}.`] : []),
      ...(f.run?.status === "SUCCEEDED" ? ["Every rollback step completed."] : []),
      ...(f.signedOffAt ? [`Verification was signed off at ${fmt(f.signedOffAt)}.`] : []),
      ...(f.rca?.wentWell ? [`From the RCA: ${f.rca.wentWell}`] : []),
      "What helped us detect, decide and undo quickly? Which tools, alerts and procedures worked?",
    ],
    improve: [
      ...(detectDelay ? [`Detection took ${detectDelay} after the deploy: could we have caught it before, or sooner?`] : []),
      ...(f.run && f.run.failedSteps.length > 0 ? [`Steps that needed an operator: ${f.run.failedSteps.join(", ")}.`] : []),
      ...(f.rca?.wentWrong ? [`From the RCA: ${f.rca.wentWrong}`] : []),
      ...(f.rca?.lessons ?? []).map((l) => `Lesson (RCA): ${l}`),
      "What made the problem possible? What slowed the response? Which procedure or runbook was missing or wrong?",
    ],
    "action-items": [
      ...f.actionItems.map(
        (a) =>
          `Draft: ${a.title} — ${a.priority}, ${a.status.toLowerCase().replaceAll("_", " ")}, owner ${a.owner ?? "unassigned"}${a.dueDate ? `, due ${a.dueDate.slice(0, 10)}` : ""}.`,
      ),
      "Agree an owner, a due date and a priority for each; HIGH items must be done before the re-deployment.",
    ],
    "follow-up": [
      "Confirm who sends the notes and when.",
      "Agree when the action items are reviewed and who writes the re-deployment plan.",
    ],
  };
}

export type AgendaOptions = ScheduleOptions & { facilitator: { name: string; email: string } };

/** The agenda, or null when there is no sign-off to schedule from (or the window is too short for a meeting). */
export function buildAgenda(facts: AgendaFacts, options: AgendaOptions, generatedAt: Date): AgendaContent | null {
  const anchorAt = facts.signedOffAt;
  if (!anchorAt) return null;
  const meeting = proposeMeeting(new Date(anchorAt), options);
  if (!meeting) return null;
  const points = sectionPoints(facts);
  return {
    schema: AGENDA_SCHEMA_VERSION,
    generatedAt: generatedAt.toISOString(),
    incident: facts.incident,
    meeting: {
      start: meeting.start.toISOString(),
      end: meeting.end.toISOString(),
      minutes: MEETING_MINUTES,
      anchor: { at: anchorAt, what: "verification sign-off" },
      deadline: meeting.deadline.toISOString(),
      withinHours: options.withinHours,
      skipWeekends: options.skipWeekends,
    },
    facilitator: options.facilitator.name,
    attendees: attendeesOf(facts.people, options.facilitator),
    objectives: OBJECTIVES,
    sections: SECTION_MINUTES.map(([key, title, minutes], n) => ({ number: n + 1, key, title, minutes, points: points[key] })),
    rules: RULES,
    checklist: POST_MEETING_CHECKLIST,
  };
}

export const agendaTitle = (c: { incident: { number: number; title: string } }) =>
  `Post-mortem: INC-${c.incident.number} ${c.incident.title}`;

export function renderAgendaMarkdown(c: AgendaContent): string {
  const total = c.sections.reduce((sum, s) => sum + s.minutes, 0);
  return renderMarkdown(
    markdownDocument([
      heading(1, `Post-mortem agenda — INC-${c.incident.number}`),
      paragraph(c.incident.title),
      factsTable([
        ["Proposed", `${fmt(c.meeting.start)} – ${formatUtc(c.meeting.end, "clock")} (${c.meeting.minutes} min)`],
        [
          "Window",
          `within ${c.meeting.withinHours} h of the ${c.meeting.anchor.what} at ${fmt(c.meeting.anchor.at)}${c.meeting.skipWeekends ? ", weekends not counted" : ""}`,
        ],
        ["Service", c.incident.service],
        ["Versions", `${c.incident.badVersion} → ${c.incident.previousVersion}`],
        ["Severity", c.incident.severity],
        ["Facilitator", c.facilitator],
      ]),
      heading(2, "Attendees"),
      table(
        ["Name", "Email", "Role"],
        c.attendees.map((a) => [a.name, a.email, a.roles.join("; ")]),
      ),
      heading(2, "Objectives"),
      bulletList(c.objectives),
      heading(2, `Agenda (${total} min)`),
      ...c.sections.flatMap((s) => [heading(3, `${s.number}. ${s.title} (${s.minutes} min)`), bulletList(s.points)]),
      heading(2, "Meeting rules"),
      orderedList(c.rules),
      heading(2, "After the meeting"),
      taskList(c.checklist.map((content) => ({ checked: false, content }))),
      paragraph([strong("Generated"), ` ${fmt(c.generatedAt)} by Backout.`]),
    ]),
  );
}

/** The invitation as an iCalendar file; throws if the library refuses the event (it validates it). */
export function renderAgendaIcs(c: AgendaContent, uid: string, sequence: number): string {
  const total = c.sections.reduce((sum, s) => sum + s.minutes, 0);
  const event: EventAttributes = {
    uid,
    sequence,
    productId: "backout/postmortem",
    title: agendaTitle(c),
    start: Date.parse(c.meeting.start),
    startInputType: "utc",
    startOutputType: "utc",
    end: Date.parse(c.meeting.end),
    endInputType: "utc",
    endOutputType: "utc",
    status: "TENTATIVE",
    description: [
      `Blameless post-mortem of INC-${c.incident.number} (${c.incident.service}, ${c.incident.badVersion} → ${c.incident.previousVersion}).`,
      "",
      ...c.sections.map((s) => `${s.number}. ${s.title} — ${s.minutes} min`),
      `Total: ${total} min`,
    ].join("\n"),
    categories: ["post-mortem", `INC-${c.incident.number}`],
    attendees: c.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      rsvp: true,
      role: a.roles.includes("Facilitator") ? "CHAIR" : "REQ-PARTICIPANT",
      partstat: "NEEDS-ACTION",
    })),
  };
  const facilitator = c.attendees.find((a) => a.roles.includes("Facilitator"));
  if (facilitator) event.organizer = { name: facilitator.name, email: facilitator.email };
  const { error, value } = createEvent(event);
  if (error || !value) throw error ?? new Error("The calendar event could not be built.");
  return value;
}
