import { describe, expect, it } from "vitest";
import { isEmailVerified, oidcSettings, parseRoleMap, passwordSignInEnabled, roleFromClaims } from "./sso";

const settings = {
  roleClaim: "groups",
  roleMap: parseRoleMap("backout-admins=ADMIN, release=release_manager,oncall=RESPONDER"),
  defaultRole: "VIEWER" as const,
};

describe("role from claims", () => {
  it("maps a group, and the role with the most reach wins among several", () => {
    expect(roleFromClaims({ groups: ["oncall"] }, settings)).toEqual({ role: "RESPONDER", mapped: true });
    expect(roleFromClaims({ groups: ["oncall", "release", "staff"] }, settings)).toEqual({ role: "RELEASE_MANAGER", mapped: true });
    expect(roleFromClaims({ groups: "backout-admins" }, settings)).toEqual({ role: "ADMIN", mapped: true });
  });

  it("gives the default role to a sign-in without a mapped value", () => {
    expect(roleFromClaims({ groups: ["staff"] }, settings)).toEqual({ role: "VIEWER", mapped: false });
    expect(roleFromClaims({}, settings)).toEqual({ role: "VIEWER", mapped: false });
    expect(roleFromClaims({ groups: [7, null] }, settings)).toEqual({ role: "VIEWER", mapped: false });
  });

  it("reads a nested claim (Keycloak's realm roles)", () => {
    const keycloak = { ...settings, roleClaim: "realm_access.roles" };
    expect(roleFromClaims({ realm_access: { roles: ["release"] } }, keycloak)).toEqual({ role: "RELEASE_MANAGER", mapped: true });
    expect(roleFromClaims({ realm_access: "release" }, keycloak).mapped).toBe(false);
  });

  it("refuses a role map that names no role", () => {
    expect(() => parseRoleMap("admins=ROOT")).toThrow(/ROLE one of/);
    expect(() => parseRoleMap("=ADMIN")).toThrow();
    expect(parseRoleMap(" ").size).toBe(0);
  });
});

describe("settings", () => {
  it("needs issuer, client id and secret; defaults the rest", () => {
    expect(oidcSettings({ BACKOUT_OIDC_ISSUER: "https://idp", BACKOUT_OIDC_CLIENT_ID: "backout" })).toBeNull();
    const s = oidcSettings({ BACKOUT_OIDC_ISSUER: "https://idp", BACKOUT_OIDC_CLIENT_ID: "backout", BACKOUT_OIDC_CLIENT_SECRET: "s" });
    expect(s).toMatchObject({ name: "single sign-on", roleClaim: "groups", defaultRole: "VIEWER" });
    expect(() =>
      oidcSettings({
        BACKOUT_OIDC_ISSUER: "i",
        BACKOUT_OIDC_CLIENT_ID: "c",
        BACKOUT_OIDC_CLIENT_SECRET: "s",
        BACKOUT_OIDC_DEFAULT_ROLE: "GOD",
      }),
    ).toThrow(/DEFAULT_ROLE/);
  });

  it("turns password sign-in off only when told", () => {
    expect(passwordSignInEnabled({})).toBe(true);
    expect(passwordSignInEnabled({ BACKOUT_PASSWORD_SIGN_IN: "off" })).toBe(false);
    expect(passwordSignInEnabled({ BACKOUT_PASSWORD_SIGN_IN: "on" })).toBe(true);
  });

  it("accepts only a verified email", () => {
    expect(isEmailVerified({ email_verified: true })).toBe(true);
    expect(isEmailVerified({ email_verified: "true" })).toBe(true);
    expect(isEmailVerified({ email_verified: false })).toBe(false);
    expect(isEmailVerified({})).toBe(false);
  });
});
