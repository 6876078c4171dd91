// The refused-caller check every change gets in its integration test: refused with the expected
// code, nothing changed (the caller's snapshot of what the change would touch), and exactly one
// DENIED audit row for the attempt.
import { expect } from "vitest";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import type { RefusalCode } from "@/lib/errors";

export type RefusedAttempt = {
  actor: Actor;
  /** The change's audit action. */
  action: string;
  code?: RefusalCode;
  run: () => Promise<{ ok: boolean }>;
  snapshot: () => Promise<unknown>;
};

export async function expectRefusedOnce({ actor, action, code = "forbidden", run, snapshot }: RefusedAttempt): Promise<void> {
  const before = await snapshot();
  expect(await run()).toMatchObject({ ok: false, code });
  expect(await snapshot()).toEqual(before);
  const rows = await getDb().auditLog.findMany({ where: { actorId: actor.id } });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ action, outcome: "DENIED", actorRole: actor.role, details: { code } });
}
