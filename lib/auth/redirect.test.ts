import { describe, expect, it } from "vitest";
import { AFTER_SIGN_IN, safeRedirect } from "./redirect";
import { clientAddress, requestOrigin } from "./request";

const ORIGIN = "http://backout.example:3000";

describe("safeRedirect", () => {
  it.each([
    ["/incidents/1", "/incidents/1"],
    ["/incidents?status=OPEN#list", "/incidents?status=OPEN#list"],
    // What the proxy sends: the absolute URL of the page that wanted a session.
    [`${ORIGIN}/incidents/7?tab=timeline`, "/incidents/7?tab=timeline"],
    // Encoded characters stay encoded: a path, not an authority.
    ["/%5Cevil.example/", "/%5Cevil.example/"],
  ])("keeps the same-origin %s", (callback, expected) => {
    expect(safeRedirect(callback, ORIGIN)).toBe(expected);
  });

  it.each([
    // The case: the form's value is the decoded "/\evil.example/", "//evil.example/" to a browser.
    "/\\evil.example/",
    "\\\\evil.example",
    "//evil.example/",
    "///evil.example/",
    // Dot segments that normalise to a protocol-relative path.
    "/..//evil.example",
    "/.//evil.example",
    "/incidents/../..//evil.example",
    // Control characters the URL parser would drop ("/\t/evil" is "//evil").
    "/\t/evil.example",
    "/\n/evil.example",
    "/incidents\u0000",
    "http://evil.example/incidents",
    "https://backout.example:3000/incidents",
    "http://backout.example:3001/incidents",
    "http://backout.example:3000@evil.example/",
    "http://user:pass@backout.example:3000/incidents",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/sign-in",
    `/${"a".repeat(3000)}`,
    "",
    undefined,
    null,
  ])("refuses %j", (callback) => {
    expect(safeRedirect(callback, ORIGIN)).toBe(AFTER_SIGN_IN);
  });

  it("treats a relative path without a slash as this site's", () => {
    expect(safeRedirect("incidents/3", ORIGIN)).toBe("/incidents/3");
  });
});

describe("the request's origin and client address", () => {
  it("reads the proxy's host and protocol, else Host", () => {
    expect(requestOrigin(new Headers({ host: "a:3000" }))).toBe("http://a:3000");
    expect(requestOrigin(new Headers({ host: "internal", "x-forwarded-host": "backout.example", "x-forwarded-proto": "https" }))).toBe(
      "https://backout.example",
    );
  });

  it("takes the client address the nearest proxy wrote, never one the client sent", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 10.0.0.7" }))).toBe("10.0.0.7");
    expect(clientAddress(new Headers({ "x-forwarded-for": "127.0.0.1" }))).toBe("127.0.0.1");
    expect(clientAddress(new Headers())).toBeNull();
  });
});
