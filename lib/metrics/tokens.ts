// Ingestion tokens: random, shown once, stored only as a SHA-256 hash (lib/security/tokens.ts).
import { hashSecretToken, newSecretToken } from "@/lib/security/tokens";

const TOKEN_PREFIX = "bo_";

export function generateIngestToken(): { token: string; hash: string; prefix: string } {
  const { token, hash } = newSecretToken(TOKEN_PREFIX);
  return { token, hash, prefix: token.slice(0, 10) };
}

export function hashIngestToken(token: string): string {
  return hashSecretToken(token);
}

/** The token from an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}
