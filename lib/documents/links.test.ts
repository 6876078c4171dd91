import { describe, expect, it } from "vitest";
import { markdownHref, parseVersionParam } from "./links";

describe("version numbers in URLs", () => {
  it("reads 1, 2, … and refuses anything else", () => {
    expect(parseVersionParam(undefined)).toBeUndefined();
    expect(parseVersionParam(null)).toBeUndefined();
    expect(parseVersionParam("1")).toBe(1);
    expect(parseVersionParam("42")).toBe(42);
    for (const bad of ["", "0", "-1", "01", "1.5", "1e3", "abc", "9999999999", ["1", "2"]])
      expect(parseVersionParam(bad), String(bad)).toBeNull();
  });

  it("downloads the current version unless one is named", () => {
    expect(markdownHref("doc1")).toBe("/api/documents/doc1/markdown");
    expect(markdownHref("doc1", 3)).toBe("/api/documents/doc1/markdown?version=3");
  });
});
