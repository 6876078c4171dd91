"use client";

// The display zone the server chose (lib/time/zone.ts), for every time on the page, and the
// browser's report of its own zone. The server renders with the zone it was told; the browser
// renders with the same one, so the text never changes after load. Only when the server did not
// know the browser's zone yet (a first visit, or the computer moved zones) does the page ask for
// one re-render once the cookie is set.
import { useRouter } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { COOKIE_MAX_AGE_S, TZ_COOKIE } from "@/lib/time/cookies";
import { UTC } from "@/lib/time/format";

export type DisplayZoneValue = { zone: string; utc: boolean; browserZone: string | null };

const Context = createContext<DisplayZoneValue>({ zone: UTC, utc: false, browserZone: null });

export function useDisplayZone(): DisplayZoneValue {
  return useContext(Context);
}

export function TimeZoneProvider({ value, children }: { value: DisplayZoneValue; children: ReactNode }) {
  const router = useRouter();
  useEffect(() => {
    let zone: string | undefined;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      return;
    }
    if (!zone || zone === value.browserZone) return;
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox and Safari; the value is the browser's own IANA zone name
    document.cookie = `${TZ_COOKIE}=${zone}; path=/; max-age=${COOKIE_MAX_AGE_S}; samesite=lax`;
    // The page was written in UTC for want of the zone: write it again in the viewer's.
    if (!value.utc) router.refresh();
  }, [value.browserZone, value.utc, router]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}
