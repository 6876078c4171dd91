// The sign-in throttle's rows in PostgreSQL, so every app instance counts the same failures.
// The back-off itself is lib/auth/throttle-rules.ts.
import "server-only";
import type { Db } from "@/lib/db";
import { ACCOUNT_POLICY, ADDRESS_POLICY, addFailure, retryAt, type ThrottlePolicy, type ThrottleState } from "./throttle-rules";

export type ThrottleKey = { key: string; policy: ThrottlePolicy };

/** The keys a sign-in counts against: the email as typed (known or not) and the client address. */
export function signInKeys(email: string, address: string | null): ThrottleKey[] {
  const keys = [{ key: `account:${email}`, policy: ACCOUNT_POLICY }];
  if (address) keys.push({ key: `address:${address}`, policy: ADDRESS_POLICY });
  return keys;
}

/**
 * Takes one attempt on every key, or says until when one of them is locked (nothing is charged
 * then). The attempt is charged as a failure up front, under the rows' locks: parallel attempts
 * on any number of instances queue on the row, and each sees the failures charged before it, so
 * a burst cannot all pass the same check. A sign-in that succeeds gives the charge back
 * (`settleSignIn`). The rows are locked in key order, so two attempts never deadlock.
 */
export async function takeSignInAttempt(db: Db, keys: ThrottleKey[], now: Date): Promise<{ ok: true } | { ok: false; until: Date }> {
  const sorted = [...keys].sort((a, b) => a.key.localeCompare(b.key));
  return db.$transaction(async (tx) => {
    const states = new Map<string, ThrottleState>();
    for (const { key } of sorted) {
      await tx.$executeRaw`
        INSERT INTO "SignInThrottle" (key, failures, "lastFailureAt") VALUES (${key}, 0, ${now})
        ON CONFLICT (key) DO NOTHING`;
      const [row] = await tx.$queryRaw<ThrottleState[]>`
        SELECT failures, "lastFailureAt" FROM "SignInThrottle" WHERE key = ${key} FOR UPDATE`;
      if (row) states.set(key, row);
    }
    const locks = sorted.map(({ key, policy }) => retryAt(states.get(key) ?? null, now, policy)).filter((d): d is Date => d !== null);
    if (locks.length > 0) return { ok: false, until: new Date(Math.max(...locks.map((d) => d.getTime()))) };
    for (const { key, policy } of sorted) {
      const next = addFailure(states.get(key) ?? null, now, policy);
      await tx.signInThrottle.update({ where: { key }, data: next });
    }
    return { ok: true };
  });
}

/**
 * After a successful sign-in: the account starts again from zero; the address only gets this
 * attempt's charge back, since one good password from an address says nothing of its other tries.
 */
export async function settleSignIn(db: Db, keys: ThrottleKey[]): Promise<void> {
  for (const { key } of keys) {
    if (key.startsWith("account:")) await db.signInThrottle.deleteMany({ where: { key } });
    else await db.$executeRaw`UPDATE "SignInThrottle" SET failures = GREATEST(failures - 1, 0) WHERE key = ${key}`;
  }
}
