import { LocalTime } from "@/components/ui/local-time";

type Session = { id: string; createdAt: Date; lastSeenAt: Date; address: string | null; userAgent: string | null };

/** A user's open sessions, for the admin deciding whether to end them. */
export function UserSessions({ sessions }: { sessions: Session[] }) {
  if (sessions.length === 0) return <p className="text-xs text-muted">No open sessions</p>;
  return (
    <details className="text-xs text-muted">
      <summary className="cursor-pointer">
        {sessions.length} open session{sessions.length === 1 ? "" : "s"}
      </summary>
      <ul className="mt-1 space-y-0.5">
        {sessions.map((s) => (
          <li key={s.id}>
            signed in <LocalTime iso={s.createdAt.toISOString()} />, last seen <LocalTime iso={s.lastSeenAt.toISOString()} />
            {s.address ? ` · ${s.address}` : ""}
            {s.userAgent ? <span className="block truncate">{s.userAgent}</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
