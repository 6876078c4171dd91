// Single sign-on settings (environment variables) and the role a sign-in gets from its claims.
// Pure but for reading process.env: no database, so the sign-in page and tests can call it.
import type { Role } from "@/generated/prisma/enums";
import { isRole, ROLES } from "./roles";

type Env = Readonly<Record<string, string | undefined>>;

export type OidcSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's words: "Sign in with <name>". */
  name: string;
  /** Dot path of the claim holding groups or roles, e.g. "groups" or "realm_access.roles". */
  roleClaim: string;
  /** Claim value → Backout role. */
  roleMap: ReadonlyMap<string, Role>;
  /** For a sign-in none of whose values is mapped. */
  defaultRole: Role;
};

/** "backout-admins=ADMIN, release=RELEASE_MANAGER" → a map; an unknown role is a configuration error. */
export function parseRoleMap(text: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const entry of text.split(/[,\n]/)) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const at = trimmed.lastIndexOf("=");
    const value = trimmed.slice(0, at).trim();
    const role = trimmed
      .slice(at + 1)
      .trim()
      .toUpperCase();
    if (at <= 0 || !value || !isRole(role)) {
      throw new Error(`BACKOUT_OIDC_ROLE_MAP: "${trimmed}" is not value=ROLE with ROLE one of ${ROLES.join(", ")}.`);
    }
    map.set(value, role);
  }
  return map;
}

/** The OIDC settings, or null when single sign-on is not configured (issuer, client id and secret all set). */
export function oidcSettings(env: Env = process.env): OidcSettings | null {
  const issuer = env.BACKOUT_OIDC_ISSUER?.trim();
  const clientId = env.BACKOUT_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.BACKOUT_OIDC_CLIENT_SECRET?.trim();
  if (!issuer || !clientId || !clientSecret) return null;
  const defaultRole = (env.BACKOUT_OIDC_DEFAULT_ROLE?.trim().toUpperCase() || "VIEWER") as string;
  if (!isRole(defaultRole)) throw new Error(`BACKOUT_OIDC_DEFAULT_ROLE: "${defaultRole}" is not one of ${ROLES.join(", ")}.`);
  return {
    issuer,
    clientId,
    clientSecret,
    name: env.BACKOUT_OIDC_NAME?.trim() || "single sign-on",
    roleClaim: env.BACKOUT_OIDC_ROLE_CLAIM?.trim() || "groups",
    roleMap: parseRoleMap(env.BACKOUT_OIDC_ROLE_MAP ?? ""),
    defaultRole,
  };
}

/** Whether email + password sign-in is on (the default); `BACKOUT_PASSWORD_SIGN_IN=off` turns it off. */
export function passwordSignInEnabled(env: Env = process.env): boolean {
  return !["off", "false", "0", "no"].includes((env.BACKOUT_PASSWORD_SIGN_IN ?? "").trim().toLowerCase());
}

// When several values map, the role with the most reach wins.
const PRECEDENCE: readonly Role[] = ["ADMIN", "RELEASE_MANAGER", "RESPONDER", "VIEWER"];

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The role for these claims: the mapped one, or the default (`mapped` says which). */
export function roleFromClaims(
  claims: Record<string, unknown>,
  settings: Pick<OidcSettings, "roleClaim" | "roleMap" | "defaultRole">,
): { role: Role; mapped: boolean } {
  const raw = claimAt(claims, settings.roleClaim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
  const roles = new Set(values.flatMap((v) => settings.roleMap.get(v) ?? []));
  const best = PRECEDENCE.find((r) => roles.has(r));
  return best ? { role: best, mapped: true } : { role: settings.defaultRole, mapped: false };
}

/** OIDC says `email_verified` is a boolean; some providers send the string "true". */
export function isEmailVerified(claims: Record<string, unknown>): boolean {
  return claims.email_verified === true || claims.email_verified === "true";
}
