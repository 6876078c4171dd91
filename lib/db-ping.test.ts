// Which requests the proxy pings the database for: page renders, not router or browser prefetches.
import { describe, expect, it } from "vitest";
import { needsDatabaseCheck } from "./db-ping";

const check = (headers: Record<string, string>, method = "GET", pathname = "/incidents") =>
  needsDatabaseCheck(method, pathname, new Headers(headers));

describe("needsDatabaseCheck", () => {
  it("asks for a page's HTML and for the router's fetch of a page on a navigation", () => {
    expect(check({ accept: "text/html,application/xhtml+xml" })).toBe(true);
    expect(check({ accept: "text/html" }, "HEAD")).toBe(true);
    expect(check({ rsc: "1", "next-router-state-tree": "%5B%5D" })).toBe(true);
  });

  it("skips the router's prefetches (every value Next sends) and a browser's own prefetch", () => {
    for (const value of ["1", "2", "3"]) expect(check({ rsc: "1", "next-router-prefetch": value })).toBe(false);
    expect(check({ rsc: "1", "next-router-prefetch": "1", "next-router-segment-prefetch": "/_tree" })).toBe(false);
    expect(check({ accept: "text/html", purpose: "prefetch" })).toBe(false);
    expect(check({ accept: "text/html", "sec-purpose": "prefetch;prerender" })).toBe(false);
  });

  it("leaves out what is not a page: the API, server actions (POST), static assets", () => {
    expect(check({ accept: "text/html" }, "GET", "/api/health")).toBe(false);
    expect(check({ accept: "text/html", "next-action": "abc" }, "POST")).toBe(false);
    expect(check({ accept: "image/png" }, "GET", "/icon.svg")).toBe(false);
  });
});
