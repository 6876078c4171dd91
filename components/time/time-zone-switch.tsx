"use client";

// The one-click switch between the viewer's zone and UTC. It sticks: stored on the account (and in
// a cookie for pages without one), and the page re-renders on the server in the chosen zone.
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setTimesInUtcAction } from "@/lib/time/actions";
import { zoneAbbreviation } from "@/lib/time/format";
import { useDisplayZone } from "./time-zone";

export function TimeZoneSwitch() {
  const { zone, utc, browserZone } = useDisplayZone();
  const router = useRouter();
  const [pending, start] = useTransition();
  // Nothing to switch to when the browser's zone is UTC or not known yet.
  const local = browserZone && browserZone !== "UTC" ? browserZone : null;
  if (!local && !utc) return <span className="text-xs text-muted">Times in {zoneAbbreviation(zone)}</span>;
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted">
      <span>Times in {utc ? "UTC" : `${zoneAbbreviation(zone)} (${zone})`}</span>
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            await setTimesInUtcAction({ utc: !utc });
            router.refresh();
          })
        }
        className="rounded border border-line px-1.5 py-0.5 font-medium text-fg hover:bg-surface-2 disabled:opacity-50"
      >
        {utc ? `Show in ${local ? zoneAbbreviation(local) : "my zone"}` : "Show in UTC"}
      </button>
    </span>
  );
}
