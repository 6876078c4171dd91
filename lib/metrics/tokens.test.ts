import { describe, expect, it } from "vitest";
import { bearerToken, generateIngestToken, hashIngestToken } from "./tokens";

describe("ingestion tokens", () => {
  it("are random, prefixed, and stored as a hash that matches only the same token", () => {
    const a = generateIngestToken();
    const b = generateIngestToken();
    expect(a.token).toMatch(/^bo_[\w-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashIngestToken(a.token));
    expect(a.hash).not.toBe(b.hash);
    expect(a.hash).not.toContain(a.token.slice(3));
    expect(a.prefix).toBe(a.token.slice(0, 10));
  });

  it("reads only well-formed bearer headers", () => {
    expect(bearerToken("Bearer bo_abc")).toBe("bo_abc");
    expect(bearerToken("bearer   bo_abc ")).toBe("bo_abc");
    expect(bearerToken("Basic dXNlcg==")).toBeNull();
    expect(bearerToken("Bearer")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
