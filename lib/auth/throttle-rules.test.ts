import { describe, expect, it } from "vitest";
import { ACCOUNT_POLICY, addFailure, retryAt, type ThrottleState, throttledMessage } from "./throttle-rules";

const T0 = new Date("2026-12-01T10:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

function failTimes(n: number): ThrottleState | null {
  let state: ThrottleState | null = null;
  for (let i = 0; i < n; i++) state = addFailure(state, T0, ACCOUNT_POLICY);
  return state;
}

describe("the account back-off", () => {
  it("lets four failures pass without a wait", () => {
    expect(retryAt(failTimes(4), T0, ACCOUNT_POLICY)).toBeNull();
  });

  it("waits 30 s after the fifth failure and doubles with each one after", () => {
    const waits = [5, 6, 7, 8, 9].map((n) => (retryAt(failTimes(n), T0, ACCOUNT_POLICY)?.getTime() ?? 0) - T0.getTime());
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
  });

  it("locks out for at most 15 minutes, however many failures", () => {
    expect(retryAt(failTimes(10), T0, ACCOUNT_POLICY)).toEqual(at(15 * 60_000));
    expect(retryAt(failTimes(40), T0, ACCOUNT_POLICY)).toEqual(at(15 * 60_000));
  });

  it("allows the attempt once the wait is over", () => {
    expect(retryAt(failTimes(10), at(15 * 60_000), ACCOUNT_POLICY)).toBeNull();
  });

  it("forgets a key with no failure for an hour", () => {
    const later = at(60 * 60_000);
    expect(addFailure(failTimes(10), later, ACCOUNT_POLICY)).toEqual({ failures: 1, lastFailureAt: later });
    expect(addFailure(failTimes(10), at(59 * 60_000), ACCOUNT_POLICY).failures).toBe(11);
  });
});

describe("throttledMessage", () => {
  it("says how many minutes, rounded up", () => {
    expect(throttledMessage(at(30_000), T0)).toBe("Too many attempts; try again in 1 minute.");
    expect(throttledMessage(at(14 * 60_000 + 1), T0)).toBe("Too many attempts; try again in 15 minutes.");
  });
});
