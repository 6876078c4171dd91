// The signed-in user, re-read from the database once per request.
import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { auth } from "./index";
import { readSessionUser } from "./sessions";

/**
 * The user and session of this request: null without a token, for a token whose session has ended
 * (signed out, ended by an admin, by a role change or by disabling the user), or for a token from
 * before sessions had rows.
 */
export const getCurrentSession = cache(async (): Promise<{ user: Actor; sessionId: string } | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  const sessionId = session?.sessionId;
  if (!userId || !sessionId) return null;
  const user = await readSessionUser(getDb(), sessionId, userId, new Date());
  return user && { user, sessionId };
});

export async function getCurrentUser(): Promise<Actor | null> {
  return (await getCurrentSession())?.user ?? null;
}

/** For pages: no valid session (or a disabled account) goes to sign-in. */
export async function requireUser(): Promise<Actor> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return user;
}
