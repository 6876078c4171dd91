// A timeline row as pages, exports and the share page show it: plain data (ISO strings), with the
// channel it came from, the step's duration and result, and the document it wrote. Pure.
import { documentHref } from "@/lib/documents/links";
import { categoryOf, type SourceChannel, STEP_RESULTS, sourceChannel, type TimelineCategory } from "./kinds";

export type TimelineEntry = {
  id: string;
  /** When it happened. */
  at: string;
  /** When it was written, when that differs from `at` by more than a minute (a note about an earlier moment). */
  recordedAt: string | null;
  kind: string;
  category: TimelineCategory;
  source: SourceChannel;
  /** Which part of the system or which webhook, when the channel alone does not say. */
  sourceDetail: string | null;
  actor: string | null;
  message: string;
  starred: boolean;
  starredBy: string | null;
  /** A step's entry that ends it: how long it ran and how it ended. */
  step: { result: string; durationMs: number | null } | null;
  /** The document the entry wrote. */
  link: { href: string; label: string } | null;
};

export type TimelineRow = {
  id: string;
  at: Date;
  recordedAt: Date;
  kind: string;
  source: string;
  message: string;
  payload: unknown;
  starredAt: Date | null;
  actor: { name: string } | null;
  starredBy: { name: string } | null;
};

const field = (payload: unknown, name: string): unknown =>
  payload && typeof payload === "object" ? (payload as Record<string, unknown>)[name] : undefined;

const SAFE_ID = /^[a-z0-9]{1,64}$/i;

function linkOf(row: TimelineRow, incidentNumber: number): TimelineEntry["link"] {
  const documentId = field(row.payload, "documentId");
  if (row.kind !== "DOCUMENT_UPDATED" || typeof documentId !== "string" || !SAFE_ID.test(documentId)) return null;
  // The rollback summary is shown on the incident page itself.
  if (field(row.payload, "kind") === "ROLLBACK_SUMMARY") return { href: `#summary-${documentId}`, label: "Read the rollback summary" };
  return { href: documentHref(incidentNumber, documentId), label: "Open the document" };
}

/** The executions a page's step entries ended (their ids), to read how long each ran. */
export function executionIdsOf(rows: readonly TimelineRow[]): string[] {
  return rows
    .filter((r) => r.kind in STEP_RESULTS)
    .map((r) => field(r.payload, "executionId"))
    .filter((id): id is string => typeof id === "string");
}

export function toEntry(
  row: TimelineRow,
  incidentNumber: number,
  executions: ReadonlyMap<string, { startedAt: Date | null; endedAt: Date | null }> = new Map(),
): TimelineEntry {
  const { channel, detail } = sourceChannel(row.source);
  const result = STEP_RESULTS[row.kind as keyof typeof STEP_RESULTS];
  const execution = executions.get(String(field(row.payload, "executionId")));
  const durationMs = execution?.startedAt && execution.endedAt ? execution.endedAt.getTime() - execution.startedAt.getTime() : null;
  return {
    id: row.id,
    at: row.at.toISOString(),
    recordedAt: Math.abs(row.recordedAt.getTime() - row.at.getTime()) > 60_000 ? row.recordedAt.toISOString() : null,
    kind: row.kind,
    category: categoryOf(row.kind),
    source: channel,
    sourceDetail: detail,
    actor: row.actor?.name ?? null,
    message: row.message,
    starred: row.starredAt !== null,
    starredBy: row.starredBy?.name ?? null,
    step: result ? { result, durationMs } : null,
    link: linkOf(row, incidentNumber),
  };
}
