import { describe, expect, it } from "vitest";
import { hashSecretToken, newSecretToken, tokenMatches } from "./tokens";

describe("secret tokens", () => {
  it("are 256 random bits after their prefix, different every time, stored as their SHA-256", () => {
    const a = newSecretToken("bs_");
    const b = newSecretToken("bs_");
    expect(a.token).toMatch(/^bs_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.token.slice(3), "base64url")).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashSecretToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("match only their own hash", () => {
    const { token, hash } = newSecretToken("bs_");
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(`${token}x`, hash)).toBe(false);
    expect(tokenMatches(token, newSecretToken("bs_").hash)).toBe(false);
    expect(tokenMatches(token, "not-a-hash")).toBe(false);
  });
});
