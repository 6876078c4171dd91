// One browser's server-sent event stream for an incident: the hub's events as SSE frames, a
// heartbeat comment, and the viewer's presence row for as long as the stream is open.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/audit/log";
import { getLiveHub } from "./hub";
import { joinPresence, leavePresence, PRESENCE_REFRESH_MS, refreshPresence, sweepStalePresence } from "./presence";
import type { LiveEventMessage } from "./topics";

export const HEARTBEAT_MS = 15_000;
/** Tells EventSource how long to wait before reconnecting after the connection drops. */
export const RETRY_MS = 2_000;

/** A resume point from `Last-Event-ID` (EventSource's reconnect) or `?after=`; null when absent or not an id. */
export function resumeAfter(request: Request): string | null {
  const raw = request.headers.get("last-event-id") || new URL(request.url).searchParams.get("after");
  return raw && /^\d{1,19}$/.test(raw) ? raw : null;
}

/** Whether this server's listening connection is up: down, the page says its updates are delayed. */
export const statusFrame = (listening: boolean) => `event: status\ndata: ${JSON.stringify({ listening })}\n\n`;

export function sseFrame(e: LiveEventMessage): string {
  // JSON.stringify escapes newlines, so the data fits on one `data:` line.
  return `id: ${e.id}\nevent: ${e.topic}\ndata: ${JSON.stringify(e)}\n\n`;
}

const log = (what: string, e: unknown) => console.error(`[live] ${what}:`, e);

/** The streaming body of GET /api/incidents/:number/stream; everything is released when the request is aborted. */
export function openIncidentStream(request: Request, incidentId: string, user: Actor): ReadableStream<Uint8Array> {
  const hub = getLiveHub();
  const after = resumeAfter(request);
  const connectionId = randomUUID();
  const encoder = new TextEncoder();
  let release: () => void = () => undefined;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let heartbeat: NodeJS.Timeout | undefined;
      let presence: NodeJS.Timeout | undefined;
      let unsubscribe: () => void = () => undefined;
      let unwatch: () => void = () => undefined;
      // The leave waits for the join: a stream closed at once must not leave a row joined after it left.
      let joined: Promise<unknown> = Promise.resolve();
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          release();
        }
      };
      release = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        clearInterval(presence);
        unsubscribe();
        unwatch();
        void joined.finally(() => leavePresence(connectionId).catch((e) => log("leaving presence failed", e)));
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };

      send(`retry: ${RETRY_MS}\n: live\n\n`);
      // Subscribe first: the join below is itself an event this stream must receive.
      unsubscribe = hub.subscribe(incidentId, after, (e) => send(sseFrame(e)));
      unwatch = hub.onListeningChange((listening) => send(statusFrame(listening)));
      if (!hub.listening) send(statusFrame(false));
      joined = joinPresence({ connectionId, incidentId, userId: user.id, instance: hub.instance }).catch((e) =>
        log("joining presence failed", e),
      );
      heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      presence = setInterval(() => {
        refreshPresence(connectionId)
          .then((alive) => {
            // The row was swept (this process could not reach the database for a while) or the
            // user was disabled: close, and let the browser reconnect and authenticate again.
            if (!alive) release();
            else return sweepStalePresence(incidentId);
          })
          .catch((e) => log("refreshing presence failed", e));
      }, PRESENCE_REFRESH_MS);
      if (request.signal.aborted) release();
      else request.signal.addEventListener("abort", () => release(), { once: true });
    },
    cancel() {
      release();
    },
  });
}
