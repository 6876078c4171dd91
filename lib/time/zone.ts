// The zone a page's times are shown in, decided on the server so the first render is already
// right: the user's UTC switch (a User column, so it follows them to other browsers), else the
// browser's own zone, which the browser reports in the TZ_COOKIE (components/time/time-zone.tsx
// sets it on every page, the sign-in page included). A first visit without that cookie, or with
// a value this runtime does not know, shows UTC — labelled, so never wrong.
import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { TIMES_COOKIE, TZ_COOKIE } from "./cookies";
import { isTimeZone, UTC } from "./format";

export type DisplayZone = {
  /** The zone times are written in. */
  zone: string;
  /** The viewer chose UTC (the switch). */
  utc: boolean;
  /** The browser's zone, as its cookie says; null on a first visit. */
  browserZone: string | null;
};

const readUserChoice = cache(async (userId: string): Promise<boolean> => {
  const row = await getDb().user.findUnique({ where: { id: userId }, select: { timesInUtc: true } });
  return row?.timesInUtc ?? false;
});

/** For pages (server components): the viewer's display zone. */
export const getDisplayZone = cache(async (): Promise<DisplayZone> => {
  const jar = await cookies();
  const raw = jar.get(TZ_COOKIE)?.value;
  const browserZone = raw && isTimeZone(raw) ? raw : null;
  const cookieChoice = jar.get(TIMES_COOKIE)?.value === "utc";
  // Signed in: the account's choice. Without an account (a share link): this browser's cookie.
  // Every page's root layout asks, error pages included: a failing read falls back to the cookie.
  const utc = await getCurrentUser()
    .then((user) => (user ? readUserChoice(user.id) : cookieChoice))
    .catch(() => cookieChoice);
  return { zone: utc || !browserZone ? UTC : browserZone, utc, browserZone };
});
