// Where "after the rollback" starts: the step after which the service runs the previous version. The
// evidence's current window, the verify-metrics step's window and the rollback summary all start there,
// so that samples from before the switch no longer count against the service.

type AnchorCandidate = { state: string; endedAt: Date | null; changesTraffic: boolean; destructive: boolean };

/**
 * The last traffic switch that succeeded, else the last destructive step that did (a restore: the plan
 * that restores a database switches no traffic). Steps in any order; the latest by endedAt wins.
 */
export function switchAnchor<T extends AnchorCandidate>(steps: readonly T[]): (T & { endedAt: Date }) | null {
  const done = steps
    .filter((s): s is T & { endedAt: Date } => s.state === "SUCCEEDED" && s.endedAt !== null)
    .sort((a, b) => a.endedAt.getTime() - b.endedAt.getTime());
  return done.filter((s) => s.changesTraffic).at(-1) ?? done.filter((s) => s.destructive).at(-1) ?? null;
}
