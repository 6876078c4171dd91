"use client";

// Who else has the incident open, and whether this page is receiving live updates.
import { cn } from "@/components/ui/cn";
import { type PresenceViewer, type StreamStatus, usePresence, useStreamStatus } from "./incident-stream";

const STATUS: Record<StreamStatus, { label: string; dot: string; text: string }> = {
  connecting: { label: "Connecting…", dot: "bg-muted", text: "text-muted" },
  live: { label: "Live", dot: "bg-ok", text: "text-ok" },
  // The page's stream is open but its server cannot hear the database: updates arrive when it can.
  delayed: { label: "Delayed", dot: "bg-warn animate-pulse", text: "text-warn" },
  reconnecting: { label: "Reconnecting…", dot: "bg-warn animate-pulse", text: "text-warn" },
  "signed-out": { label: "Signed out: reload to sign in", dot: "bg-danger", text: "text-danger" },
};

const AVATAR_TONES = [
  "bg-info-soft text-info",
  "bg-ok-soft text-ok",
  "bg-warn-soft text-warn",
  "bg-accent text-accent-fg",
  "bg-surface-2 text-fg border border-line",
];
const MAX_AVATARS = 5;

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]?.[0] ?? ""}${parts[parts.length - 1]?.[0] ?? ""}` : (parts[0]?.slice(0, 2) ?? "?");
  return letters.toUpperCase();
}

function hash(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** A colour per viewer, stable for a user and different from the others' while there are colours left. */
function tones(viewers: readonly PresenceViewer[]): Map<string, string> {
  const result = new Map<string, string>();
  const used = new Set<number>();
  for (const v of [...viewers].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    let i = hash(v.id) % AVATAR_TONES.length;
    for (let k = 0; k < AVATAR_TONES.length && used.has(i); k++) i = (i + 1) % AVATAR_TONES.length;
    used.add(i);
    if (used.size === AVATAR_TONES.length) used.clear();
    result.set(v.id, AVATAR_TONES[i] as string);
  }
  return result;
}

function Avatar({ viewer, isYou, tone }: { viewer: PresenceViewer; isYou: boolean; tone: string }) {
  return (
    <span
      title={`${viewer.name}${isYou ? " (you)" : ""} · ${viewer.email}`}
      aria-hidden
      className={cn("inline-flex size-7 items-center justify-center rounded-full text-[11px] font-semibold ring-2 ring-surface", tone)}
    >
      {initials(viewer.name)}
    </span>
  );
}

export function PresenceBar({ currentUserId }: { currentUserId: string }) {
  const viewers = usePresence();
  const status = useStreamStatus();
  const s = STATUS[status];
  // You first, then the others in the order they arrived.
  const ordered = [...viewers.filter((v) => v.id === currentUserId), ...viewers.filter((v) => v.id !== currentUserId)];
  const others = ordered.filter((v) => v.id !== currentUserId);
  const shown = ordered.slice(0, MAX_AVATARS);
  const colours = tones(ordered);

  return (
    <div className="flex min-w-0 items-center gap-3 rounded-lg border border-line bg-surface px-2.5 py-1 text-xs" data-testid="presence">
      <span className={cn("inline-flex shrink-0 items-center gap-1.5 font-medium", s.text)} role="status" aria-live="polite">
        <span className={cn("size-2 rounded-full", s.dot)} aria-hidden />
        {s.label}
      </span>
      {ordered.length > 0 && (
        <>
          <span className="h-4 w-px shrink-0 bg-line" aria-hidden />
          <span className="flex shrink-0 -space-x-1.5">
            {shown.map((v) => (
              <Avatar key={v.id} viewer={v} isYou={v.id === currentUserId} tone={colours.get(v.id) ?? ""} />
            ))}
            {ordered.length > shown.length && (
              <span className="inline-flex size-7 items-center justify-center rounded-full bg-surface-2 text-[11px] font-semibold text-muted ring-2 ring-surface">
                +{ordered.length - shown.length}
              </span>
            )}
          </span>
          <ul aria-label="Viewing now" className="flex min-w-0 flex-wrap gap-x-1 text-muted">
            {ordered.map((v, i) => (
              <li key={v.id} className={cn("truncate", v.id === currentUserId && "sr-only sm:not-sr-only")}>
                <span className="text-fg">{v.name}</span>
                {v.id === currentUserId && " (you)"}
                {i < ordered.length - 1 && ","}
              </li>
            ))}
          </ul>
          {others.length === 0 && <span className="hidden text-muted sm:inline">· nobody else</span>}
        </>
      )}
    </div>
  );
}
