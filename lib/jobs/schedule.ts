// When the self-rescheduling checklist evaluation runs next. Pure: tested in schedule.test.ts.

/**
 * The next slot of a job that repeats every `everyMs` and was due at `dueAt`: the first of
 * dueAt + k·everyMs (k ≥ 1) after `now`. Slots missed while the cluster was down or busy are
 * skipped, not run back to back: evaluating the checklists twice in a row says nothing new.
 */
export function nextSlot(dueAt: number, now: number, everyMs: number): number {
  if (!(everyMs > 0)) throw new Error(`The interval must be a positive number of milliseconds (got ${everyMs}).`);
  const k = Math.max(1, Math.floor((now - dueAt) / everyMs) + 1);
  return dueAt + k * everyMs;
}
