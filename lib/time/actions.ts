"use server";

import { revalidatePath } from "next/cache";
// The UTC switch: the viewer's own display preference, nobody else's, so not a change of the
// change path (see NOT_CHANGES in lib/incidents/refusals.int.test.ts). Stored on the account so it
// follows the person, and in a cookie for pages without an account.
import { cookies } from "next/headers";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { COOKIE_MAX_AGE_S, TIMES_COOKIE } from "./cookies";

const schema = z.object({ utc: z.boolean() });

export async function setTimesInUtcAction(input: { utc: boolean }): Promise<{ ok: boolean }> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false };
  const { utc } = parsed.data;
  const user = await getCurrentUser();
  if (user) await getDb().user.update({ where: { id: user.id }, data: { timesInUtc: utc } });
  (await cookies()).set(TIMES_COOKIE, utc ? "utc" : "local", {
    path: "/",
    maxAge: COOKIE_MAX_AGE_S,
    sameSite: "lax",
    httpOnly: true,
  });
  revalidatePath("/", "layout");
  return { ok: true };
}
