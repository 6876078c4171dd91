"use client";

// The incident page's live channel in the browser: one EventSource on
// /api/incidents/:number/stream, shared by every component of the page through hooks.
// EventSource reconnects by itself and sends Last-Event-ID, so the server replays what was missed;
// events are dropped by id if they arrive twice (around a reconnect). If the browser gives up
// (the server answered with an error), a new EventSource resumes after the last event seen.
import { useRouter } from "next/navigation";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { LIVE_TOPICS, type LiveEventMessage, type LiveTopic, type PresencePayload, type PresenceViewer } from "@/lib/live/topics";

export type { LiveEventMessage, LiveTopic, PresenceViewer } from "@/lib/live/topics";

/** "connecting" until the first open, "live" while connected, "reconnecting" after a drop, "signed-out" when the session ended. */
export type StreamStatus = "connecting" | "live" | "delayed" | "reconnecting" | "signed-out";

type Handler = (event: LiveEventMessage) => void;
type Registration = { topics: ReadonlySet<LiveTopic>; handler: Handler };

type StreamContext = {
  register: (r: Registration) => () => void;
  /** Re-render the server parts of the page for this event, unless the page already shows it. */
  refreshFor: (event: LiveEventMessage) => void;
  viewers: PresenceViewer[];
  status: StreamStatus;
};

const Context = createContext<StreamContext | null>(null);

const SEEN_LIMIT = 2000;
const REFRESH_DEBOUNCE_MS = 250;
const MAX_RETRY_MS = 15_000;

export function IncidentStreamProvider({
  incidentNumber,
  after = null,
  children,
}: {
  incidentNumber: number;
  /** The latest live event id when the page was rendered (lib/live/queries getLiveCursor): the stream starts after it. */
  after?: string | null;
  children: ReactNode;
}) {
  const registrations = useRef(new Set<Registration>());
  const [viewers, setViewers] = useState<PresenceViewer[]>([]);
  const [status, setStatus] = useState<StreamStatus>("connecting");
  // The render-time cursor only matters for the first connection; later ones resume from what was seen.
  const initialAfter = useRef(after);
  // The newest event the server parts of the page were rendered after. A person's own action
  // re-renders the page in its response (revalidatePath) with a newer cursor, so the live event of
  // that same change must not render it a second time.
  const renderedAfter = useRef(after);
  useEffect(() => {
    renderedAfter.current = after;
  }, [after]);
  const router = useRouter();
  const pendingRefresh = useRef<{ newest: bigint; timer: ReturnType<typeof setTimeout> } | null>(null);
  const refreshFor = useCallback(
    (event: LiveEventMessage) => {
      const id = BigInt(event.id);
      const pending = pendingRefresh.current;
      if (pending) clearTimeout(pending.timer);
      const newest = pending && pending.newest > id ? pending.newest : id;
      // A burst of events (a step's state, its timeline entry, the run's end) becomes one refresh,
      // decided when the burst is over, after the action's own render has had time to arrive.
      const timer = setTimeout(() => {
        pendingRefresh.current = null;
        if (newest > BigInt(renderedAfter.current ?? "0")) router.refresh();
      }, REFRESH_DEBOUNCE_MS);
      pendingRefresh.current = { newest, timer };
    },
    [router],
  );
  useEffect(() => () => clearTimeout(pendingRefresh.current?.timer), []);

  useEffect(() => {
    const seen = new Set<string>();
    let lastId = initialAfter.current;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const onEvent = (raw: MessageEvent<string>) => {
      let event: LiveEventMessage;
      try {
        event = JSON.parse(raw.data) as LiveEventMessage;
      } catch {
        return;
      }
      lastId = event.id;
      if (seen.has(event.id)) return;
      seen.add(event.id);
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
      if (event.topic === "presence") setViewers((event.payload as PresencePayload).viewers ?? []);
      for (const r of registrations.current) {
        if (!r.topics.has(event.topic)) continue;
        try {
          r.handler(event);
        } catch (e) {
          console.error("live event handler failed", e);
        }
      }
    };

    const connect = () => {
      if (stopped) return;
      const url = `/api/incidents/${incidentNumber}/stream${lastId ? `?after=${encodeURIComponent(lastId)}` : ""}`;
      const es = new EventSource(url);
      source = es;
      for (const topic of LIVE_TOPICS) es.addEventListener(topic, onEvent as EventListener);
      // The server's own listening connection went down or came back (lib/live/stream.ts statusFrame).
      es.addEventListener("status", ((raw: MessageEvent<string>) => {
        try {
          setStatus((JSON.parse(raw.data) as { listening: boolean }).listening ? "live" : "delayed");
        } catch {
          // not a status frame of ours
        }
      }) as EventListener);
      es.onopen = () => {
        failures = 0;
        setStatus("live");
      };
      es.onerror = () => {
        if (stopped || source !== es) return;
        if (es.readyState !== EventSource.CLOSED) {
          setStatus("reconnecting"); // the browser retries by itself, with Last-Event-ID
          return;
        }
        // The browser gave up (an error status, e.g. 401 after the session ended, or 502 from a proxy).
        es.close();
        source = null;
        failures += 1;
        void fetch("/api/auth/session", { cache: "no-store" })
          .then((r) => (r.ok ? r.json() : null))
          .then((session: { user?: unknown } | null) => {
            if (stopped) return;
            if (!session?.user) {
              setStatus("signed-out");
              return;
            }
            setStatus("reconnecting");
            retryTimer = setTimeout(connect, Math.min(MAX_RETRY_MS, 1000 * 2 ** Math.min(failures, 4)));
          })
          .catch(() => {
            if (stopped) return;
            setStatus("reconnecting");
            retryTimer = setTimeout(connect, Math.min(MAX_RETRY_MS, 1000 * 2 ** Math.min(failures, 4)));
          });
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [incidentNumber]);

  const register = useCallback((r: Registration) => {
    registrations.current.add(r);
    return () => {
      registrations.current.delete(r);
    };
  }, []);
  const value = useMemo<StreamContext>(() => ({ register, refreshFor, viewers, status }), [register, refreshFor, viewers, status]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

function useStream(): StreamContext {
  const value = useContext(Context);
  if (!value) throw new Error("This component needs an IncidentStreamProvider above it.");
  return value;
}

/** Calls `handler` with every live event of these topics (each event once, in the order received). */
export function useIncidentEvents(topics: LiveTopic | readonly LiveTopic[], handler: (event: LiveEventMessage) => void): void {
  const { register } = useStream();
  const latest = useRef(handler);
  latest.current = handler;
  const key = (typeof topics === "string" ? [topics] : [...topics]).sort().join(",");
  useEffect(() => {
    const set = new Set(key.split(",") as LiveTopic[]);
    return register({ topics: set, handler: (e) => latest.current(e) });
  }, [key, register]);
}

/** Re-renders the server parts of the page on these topics' events that the page does not show yet. */
export function useRefreshOnEvents(topics: LiveTopic | readonly LiveTopic[]): void {
  const { refreshFor } = useStream();
  useIncidentEvents(topics, refreshFor);
}

/** The page's refresh for one event (see useRefreshOnEvents), for handlers that decide per event. */
export function useRefreshFor(): (event: LiveEventMessage) => void {
  return useStream().refreshFor;
}

/** Who has the incident open right now (each user once), as the last presence event said. */
export function usePresence(): PresenceViewer[] {
  return useStream().viewers;
}

export function useStreamStatus(): StreamStatus {
  return useStream().status;
}
