// Every accepted checklist change is published on the incident's live channel, in the same
// transaction as the change (announced only if it commits), as topic "checklist": an item's new
// state (with who, when and its version), or "refetch" for sign-offs, lock and the report.
import "server-only";
import type { Tx } from "@/lib/db";
import { publishLive } from "@/lib/live/publish";
import type { ChecklistEvent } from "./view";

export async function publishChecklistEvent(tx: Tx, incidentId: string, event: ChecklistEvent, actorId: string | null): Promise<void> {
  await publishLive(tx, incidentId, "checklist", event, actorId);
}
