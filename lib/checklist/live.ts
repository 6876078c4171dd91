// Every accepted checklist change is published on the incident's live channel, in the same
// transaction as the change (delivered only if it commits), as topic "checklist".
import "server-only";
import type { Tx } from "@/lib/db";
import { notifyIncident } from "@/lib/rollback/engine/shared";
import type { ChecklistEvent } from "./view";

export const CHECKLIST_TOPIC = "checklist";

export async function publishChecklistEvent(tx: Tx, incidentId: string, _event: ChecklistEvent, _actorId: string | null): Promise<void> {
  // Until the live channel (lib/live/publish.ts) is merged, only the bare "incident changed" notification.
  await notifyIncident(tx, incidentId);
}
