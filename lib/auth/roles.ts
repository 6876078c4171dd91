// Who may do what. Pure: the single table every page and action consults.
import type { Role } from "@/generated/prisma/enums";

export const ROLES = ["VIEWER", "RESPONDER", "RELEASE_MANAGER", "ADMIN"] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = {
  VIEWER: "Stakeholder",
  RESPONDER: "Responder",
  RELEASE_MANAGER: "Release manager",
  ADMIN: "Admin",
};

export const PERMISSIONS = {
  "incident:read": ["VIEWER", "RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "incident:declare": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "incident:update": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "decision:propose": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "decision:approve": ["RELEASE_MANAGER"],
  "rollback:execute": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "checklist:edit": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  // Verification sign-offs (lib/checklist/rules.ts): each of the three from a different person.
  "signoff:devops": ["RESPONDER", "ADMIN"],
  "signoff:tech_lead": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "signoff:release_manager": ["RELEASE_MANAGER"],
  "checklist:unlock": ["RELEASE_MANAGER"],
  "incident:resolve": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "incident:waive_signoff": ["RELEASE_MANAGER"],
  // Create, edit and close action items (issue 12); stakeholders read them.
  "action_item:edit": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  // Read-only share links for people without an account (lib/share-links/).
  "incident:share": ["RELEASE_MANAGER"],
  // The root-cause analysis: responders and release managers write it and mark it completed; a release manager reviews and approves it.
  "rca:edit": ["RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "rca:review": ["RELEASE_MANAGER"],
  "rca:approve": ["RELEASE_MANAGER"],
  "service:read": ["VIEWER", "RESPONDER", "RELEASE_MANAGER", "ADMIN"],
  "service:configure": ["ADMIN"],
  "user:manage": ["ADMIN"],
  "audit:read": ["ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
