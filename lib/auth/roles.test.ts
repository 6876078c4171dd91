import { describe, expect, it } from "vitest";
import { can, isRole, PERMISSIONS } from "./roles";

describe("can", () => {
  it("never lets a stakeholder press an operational button", () => {
    const operational = Object.keys(PERMISSIONS).filter((p) => !p.endsWith(":read"));
    for (const permission of operational) {
      expect(can("VIEWER", permission as keyof typeof PERMISSIONS)).toBe(false);
    }
    expect(can("VIEWER", "incident:read")).toBe(true);
  });

  it("keeps approval with release managers only", () => {
    expect(can("RELEASE_MANAGER", "decision:approve")).toBe(true);
    expect(can("RESPONDER", "decision:approve")).toBe(false);
    expect(can("ADMIN", "decision:approve")).toBe(false);
  });

  it("lets responders declare and admins manage users", () => {
    expect(can("RESPONDER", "incident:declare")).toBe(true);
    expect(can("ADMIN", "user:manage")).toBe(true);
    expect(can("RELEASE_MANAGER", "user:manage")).toBe(false);
  });
});

describe("isRole", () => {
  it("accepts the four roles and nothing else", () => {
    expect(isRole("ADMIN")).toBe(true);
    expect(isRole("admin")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
