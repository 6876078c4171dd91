// Bearer secrets (ingestion tokens, share links): 256 random bits, shown once, stored only as a
// SHA-256 hash. A fast hash is enough: unlike a password, a 256-bit random secret cannot be guessed
// from a dictionary, so a slow hash would only cost every request time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new secret: `prefix` + 32 random bytes in base64url (43 characters), and its hash. */
export function newSecretToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashSecretToken(token) };
}

export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether `token` hashes to `storedHash`, compared in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecretToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
