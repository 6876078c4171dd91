// The live channel's vocabulary, shared by the server (publish, hub, stream route) and the browser.

export const LIVE_TOPICS = ["timeline", "step", "steplog", "checklist", "presence"] as const;

export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** One event as the stream sends it (`data:` of an SSE frame) and as hub subscribers receive it. */
export type LiveEventMessage = {
  /** The LiveEvent row id (a bigint, as a string). Also the SSE `id:`: clients dedupe by it. */
  id: string;
  incidentId: string;
  topic: LiveTopic;
  payload: unknown;
  actorId: string | null;
  /** ISO timestamp of the writing transaction. */
  at: string;
};

/** A viewer in the presence list (one per user, however many tabs they have open). */
export type PresenceViewer = { id: string; name: string; email: string; role: string };

/** Payload of a "presence" event: the incident's whole viewer list after the change. */
export type PresencePayload = { viewers: PresenceViewer[]; joined?: string; left?: string[] };

/** Payload of a "steplog" event (written by the StepLogLine trigger, see the live_events migration). */
export type StepLogPayload = {
  runId: string;
  stepId: string;
  executionId: string | null;
  lines: { id: string; stream: "STDOUT" | "STDERR" | "INFO"; line: string; ts: string }[];
};
