import { describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import { applyItemChange, type ItemForRules, signOffRolesFor } from "./rules";

const item = (over: Partial<ItemForRules> = {}): ItemForRules => ({
  kind: "CHECK",
  label: "Item",
  status: "PENDING",
  value: null,
  note: null,
  testResult: null,
  notBefore: null,
  ...over,
});
const now = new Date("2026-11-26T12:00:00Z");

describe("applyItemChange", () => {
  it("refuses a tick before notBefore, allows it after, and allows notes any time", () => {
    const locked = item({ notBefore: new Date("2026-11-27T10:00:00Z") });
    expect(() => applyItemChange(locked, { status: "PASSED" }, now, false)).toThrow(/can be ticked from 2026-11-27 10:00 UTC/);
    expect(applyItemChange(locked, { note: "quiet so far" }, now, false)).toMatchObject({ status: "PENDING", note: "quiet so far" });
    expect(applyItemChange(locked, { status: "PASSED" }, new Date("2026-11-27T10:00:00Z"), false).status).toBe("PASSED");
  });

  it("wants a number for NUMBER items and a value before ticking NUMBER/TEXT items", () => {
    expect(() => applyItemChange(item({ kind: "NUMBER" }), { value: "lots" }, now, false)).toThrow(InvalidInputError);
    expect(() => applyItemChange(item({ kind: "NUMBER" }), { status: "PASSED" }, now, false)).toThrow(/Enter the number/);
    expect(applyItemChange(item({ kind: "NUMBER" }), { status: "PASSED", value: " 120 " }, now, false)).toMatchObject({
      status: "PASSED",
      value: "120",
    });
  });

  it("makes a person's status on a metric item an override that needs a note; unticking hands it back", () => {
    const metric = item({ kind: "METRIC", status: "PENDING" });
    expect(() => applyItemChange(metric, { status: "PASSED" }, now, false)).toThrow(/say why in a note/);
    expect(applyItemChange(metric, { status: "PASSED", note: "Grafana shows it fine" }, now, false)).toMatchObject({
      isOverride: true,
      statusChanged: true,
    });
    expect(applyItemChange(item({ kind: "METRIC", status: "PASSED" }), { status: "PENDING" }, now, true).isOverride).toBe(false);
  });

  it("clears fields given as empty and keeps those not given", () => {
    const before = item({ note: "old", value: "x", kind: "TEXT" });
    expect(applyItemChange(before, { note: "  " }, now, false)).toMatchObject({ note: null, value: "x" });
  });

  it("keeps test results to critical-feature items", () => {
    expect(() => applyItemChange(item(), { testResult: "ok" }, now, false)).toThrow(/Only critical-feature/);
    expect(applyItemChange(item({ kind: "FEATURE" }), { status: "PASSED", testResult: "order #1 placed" }, now, false).testResult).toBe(
      "order #1 placed",
    );
  });
});

describe("sign-off roles", () => {
  it("keeps the release-manager sign-off to release managers, and stakeholders out", () => {
    expect(signOffRolesFor("RELEASE_MANAGER")).toEqual(["TECH_LEAD", "RELEASE_MANAGER"]);
    expect(signOffRolesFor("RESPONDER")).toEqual(["DEVOPS", "TECH_LEAD"]);
    expect(signOffRolesFor("ADMIN")).toEqual(["DEVOPS", "TECH_LEAD"]);
    expect(signOffRolesFor("VIEWER")).toEqual([]);
  });
});
