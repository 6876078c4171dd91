"use client";

// Times are stored in UTC and shown in the viewer's zone. The server renders UTC; the
// browser replaces it with local time once mounted (so hydration never disagrees).
import { useEffect, useState } from "react";

type Style = "datetime" | "time" | "date";

function format(date: Date, style: Style, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions =
    style === "time"
      ? { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }
      : style === "date"
        ? { year: "numeric", month: "short", day: "numeric" }
        : { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false };
  return new Intl.DateTimeFormat("en-GB", { ...opts, timeZone }).format(date);
}

export function LocalTime({ iso, style = "datetime" }: { iso: string; style?: Style }) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => setLocal(format(new Date(iso), style)), [iso, style]);
  return (
    <time dateTime={iso} title={iso}>
      {local ?? `${format(new Date(iso), style, "UTC")} UTC`}
    </time>
  );
}
