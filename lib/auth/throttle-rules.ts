// The sign-in back-off, pure: from a key's failure count and the time of its last failure, when
// may the next attempt be made. Stored state is only (failures, lastFailureAt), so every app
// instance derives the same answer from the same row.

export type ThrottleState = { failures: number; lastFailureAt: Date };

export type ThrottlePolicy = {
  /** Failures that cost nothing; from this many on, each failure adds a wait. */
  freeFailures: number;
  /** The wait after the `freeFailures`-th failure; it doubles with each further failure. */
  baseDelayMs: number;
  /** The longest wait: the temporary lockout. */
  maxDelayMs: number;
  /** A key with no failure for this long starts again from zero. */
  resetAfterMs: number;
};

const MINUTE = 60_000;

/** Per account (the email typed, known or not): a person mistyping gets five tries free. */
export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * MINUTE,
  resetAfterMs: 60 * MINUTE,
};

/** Per client address: many people behind one NAT, so more room, against spraying many accounts. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * MINUTE,
  resetAfterMs: 60 * MINUTE,
};

/** The failures that still count at `now` (a quiet key is forgiven). */
export function currentFailures(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): number {
  if (!state) return 0;
  return now.getTime() - state.lastFailureAt.getTime() >= policy.resetAfterMs ? 0 : state.failures;
}

/** When the next attempt is allowed, or null if it is allowed now. */
export function retryAt(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): Date | null {
  const failures = currentFailures(state, now, policy);
  if (!state || failures < policy.freeFailures) return null;
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - policy.freeFailures));
  const at = new Date(state.lastFailureAt.getTime() + delay);
  return at > now ? at : null;
}

/** The state after one more failure at `now`. */
export function addFailure(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleState {
  return { failures: currentFailures(state, now, policy) + 1, lastFailureAt: now };
}

/** "Too many attempts; try again in N minutes", N rounded up, at least 1. */
export function throttledMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
  return `Too many attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
