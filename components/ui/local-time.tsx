"use client";

// Every time on a page: in the viewer's zone (components/time/time-zone.tsx), named, with seconds.
// The same text on the server and in the browser (lib/time/format.ts is given the zone), so nothing
// changes after load. The tooltip gives the instant in UTC.
import { useDisplayZone } from "@/components/time/time-zone";
import { formatInstant, formatUtc, type TimeStyle } from "@/lib/time/format";

export function LocalTime({ iso, style = "datetime" }: { iso: string; style?: TimeStyle }) {
  const { zone } = useDisplayZone();
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {formatInstant(iso, zone, style)}
    </time>
  );
}
