import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossOriginAction, isHttps, newNonce, securityHeaders } from "./headers";

describe("security headers", () => {
  it("a page's policy runs only nonce'd scripts; styles may be inline; nothing may frame it", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", https: false });
    const directive = (name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));
    expect(directive("script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    // A nonce in style-src would make browsers ignore 'unsafe-inline', and recharts' style attributes would break.
    expect(directive("style-src")).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive("object-src")).toBe("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ nonce: "abc123", https: true })).toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ nonce: "abc123", https: false, dev: true })).toContain("'unsafe-eval'");
  });

  it("anything but a page gets a policy that allows nothing", () => {
    expect(contentSecurityPolicy({ https: false })).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  });

  it("HSTS only over HTTPS, the rest always", () => {
    expect(securityHeaders({ https: false })).toEqual({
      "Content-Security-Policy": expect.any(String),
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Frame-Options": "DENY",
    });
    expect(securityHeaders({ https: true })["Strict-Transport-Security"]).toBe("max-age=31536000");
  });

  it("HTTPS is what the nearest proxy says, else the URL's scheme", () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(isHttps(new URL("http://a/"), h({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttps(new URL("http://a/"), h({ "x-forwarded-proto": "HTTPS, http" }))).toBe(true);
    expect(isHttps(new URL("https://a/"), h({ "x-forwarded-proto": "http" }))).toBe(false);
    expect(isHttps(new URL("https://a/"), h({}))).toBe(true);
    expect(isHttps(new URL("http://a/"), h({}))).toBe(false);
  });

  it("nonces are fresh and long enough", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("a server action is cross-origin when its Origin is neither the forwarded host nor the host", () => {
    const post = (headers: Record<string, string>, method = "POST") =>
      isCrossOriginAction(method, new Headers({ "next-action": "x", ...headers }));
    expect(post({ origin: "http://backout:3000", host: "backout:3000" })).toBe(false);
    expect(post({ origin: "https://backout.example", host: "10.0.0.5:3000", "x-forwarded-host": "backout.example" })).toBe(false);
    expect(post({ origin: "http://evil.example", host: "backout:3000" })).toBe(true);
    expect(post({ origin: "http://evil.example", host: "backout:3000", "x-forwarded-host": "backout.example" })).toBe(true);
    expect(post({ origin: "null", host: "backout:3000" })).toBe(true);
    // No Origin: not from a browser page (Next.js lets it through too); not a POST or not an action: not this rule's.
    expect(post({ host: "backout:3000" })).toBe(false);
    expect(post({ origin: "http://evil.example", host: "backout:3000" }, "GET")).toBe(false);
    expect(isCrossOriginAction("POST", new Headers({ origin: "http://evil.example", host: "backout:3000" }))).toBe(false);
  });
});
