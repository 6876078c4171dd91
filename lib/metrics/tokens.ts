// Ingestion tokens: random, shown once, stored only as a SHA-256 hash (a token is a long random
// secret, so a fast hash is enough — unlike passwords it cannot be guessed from a dictionary).
import { createHash, randomBytes } from "node:crypto";

const TOKEN_PREFIX = "bo_";

export function generateIngestToken(): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashIngestToken(token), prefix: token.slice(0, 10) };
}

export function hashIngestToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The token from an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}
