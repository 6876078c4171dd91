// "This incident, for this reader": the one check pages and route handlers make before they show an
// incident — a signed-in, enabled user who may read incidents, and an incident with that number.
import "server-only";
import { notFound, redirect } from "next/navigation";
import type { Actor } from "@/lib/audit/log";
import { can } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getIncidentByNumber } from "./queries";

export type ReadableIncident = NonNullable<Awaited<ReturnType<typeof getIncidentByNumber>>>;

type Access = { ok: true; user: Actor; incident: ReadableIncident } | { ok: false; status: 401 | 403 | 404; error: string };

/** The incident of a URL's `[number]` segment ("7"), if `user` may read it. */
async function checkIncidentAccess(numberParam: string): Promise<Access> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, status: 401, error: "Sign in again." };
  if (!can(user.role, "incident:read")) return { ok: false, status: 403, error: "You cannot read incidents." };
  const incident = /^\d{1,9}$/.test(numberParam) ? await getIncidentByNumber(Number(numberParam)) : null;
  if (!incident) return { ok: false, status: 404, error: "No such incident." };
  return { ok: true, user, incident };
}

/** For pages: no session → sign-in; not allowed or no such incident → 404. */
export async function requireReadableIncident(numberParam: string): Promise<{ user: Actor; incident: ReadableIncident }> {
  const access = await checkIncidentAccess(numberParam);
  if (access.ok) return access;
  if (access.status === 401) redirect("/sign-in");
  notFound();
}

/** For route handlers: the incident, or the JSON error response to send. */
export async function readableIncidentOrResponse(
  numberParam: string,
): Promise<{ ok: true; user: Actor; incident: ReadableIncident } | { ok: false; response: Response }> {
  const access = await checkIncidentAccess(numberParam);
  if (access.ok) return access;
  return { ok: false, response: Response.json({ error: access.error }, { status: access.status }) };
}
