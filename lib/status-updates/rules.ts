// When a stakeholder update is overdue. Pure: the page and the incident list ask with the clock's now.

export type UpdateDue = { nextUpdateAt: Date | null } | null;

/**
 * How late the promised next update is, in ms, or null when nothing is overdue: no update promised,
 * not yet due, or the incident is resolved (nobody owes an update on a closed incident).
 */
export function overdueBy(latest: UpdateDue, now: Date, resolved: boolean): number | null {
  if (resolved || !latest?.nextUpdateAt) return null;
  const late = now.getTime() - latest.nextUpdateAt.getTime();
  return late > 0 ? late : null;
}

export function nextUpdateAt(postedAt: Date, inMinutes: number): Date | null {
  return inMinutes > 0 ? new Date(postedAt.getTime() + inMinutes * 60_000) : null;
}
