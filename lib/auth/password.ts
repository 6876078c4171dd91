// bcryptjs: pure JavaScript, so no native build step on install (and nothing to download).
// The browser loads this module too (the user form shares MIN_PASSWORD_LENGTH): no node: imports,
// whose browser polyfills (crypto-browserify) run eval, which the Content-Security-Policy refuses.
import bcrypt from "bcryptjs";

const COST = Number(process.env.BACKOUT_BCRYPT_COST ?? 11);

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks `password` against `hash`, or, when there is no such account, against a hash of a random
 * password made at the same cost: an unknown email costs one bcrypt comparison like a known one,
 * so the answer's timing does not say whether the account exists. Always false without a hash.
 */
export async function verifyPasswordOrDummy(password: string, hash: string | null): Promise<boolean> {
  if (hash !== null) return verifyPassword(password, hash);
  dummyHash ??= hashPassword(Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, "0")).join(""));
  await verifyPassword(password, await dummyHash);
  return false;
}
