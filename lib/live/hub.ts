// The live hub: one per app process. It holds ONE dedicated PostgreSQL connection that LISTENs on
// `backout_live`; every open event stream of this process subscribes to it for its incident. On a
// notification the hub reads the announced rows once (only for incidents someone here watches)
// and hands them to that incident's subscribers in id order. Every instance of the app has its own
// hub, so a change committed anywhere reaches the browsers of every instance.
//
// No change is lost: if the connection drops, the hub reconnects with backoff, LISTENs again and
// replays from the table everything committed after the last notification it processed (see
// replay.ts for why the cursor is a transaction snapshot and not just an id). Receivers may get an
// event twice around a reconnect; each subscriber (and each browser) drops repeats by id.
import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { LIVE_CHANNEL } from "./publish";
import { cursorAfter, cursorNow, type ReplayCursor, readEvents, replayEvents } from "./replay";
import type { LiveEventMessage } from "./topics";

export type LiveListener = (event: LiveEventMessage) => void;

export type LiveHubOptions = {
  connectionString: string;
  /** First reconnect delay; doubles up to maxBackoffMs (with jitter). */
  minBackoffMs?: number;
  /** Bounded (1 s by default) so that updates resume within a second of the database coming back. */
  maxBackoffMs?: number;
  /** A `SELECT 1` on the listening connection this often finds a connection that died silently. */
  pingMs?: number;
  /** A ping not answered within this drops the connection. */
  pingTimeoutMs?: number;
  /** Logs connection trouble (console.error by default). */
  log?: (message: string, error?: unknown) => void;
};

type Subscriber = {
  incidentId: string;
  listener: LiveListener;
  /** Ids delivered lately (bounded): a replay overlapping what was already delivered is dropped. */
  seen: Set<string>;
  /** While the subscriber's own replay runs, live events wait here so it gets them in order. */
  pending: LiveEventMessage[] | null;
  /** Set until the subscriber's replay "after this id" has run. */
  replayAfter: bigint | null;
  closed: boolean;
};

type Notice = { id: string; incidentId: string; tx: string; xmin: string };

const SEEN_LIMIT = 2000;

export type HubStatus = "idle" | "connecting" | "connected" | "reconnecting" | "closed";

export class LiveHub {
  /** Names this process in presence rows and logs. */
  readonly instance = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly opts: Required<Omit<LiveHubOptions, "log">> & { log: NonNullable<LiveHubOptions["log"]> };
  private readonly subs = new Map<string, Set<Subscriber>>();
  private client: pg.Client | null = null;
  /** Rejects when the current client is dropped, so work waiting on a dead socket never blocks the queue. */
  private dropped: { client: pg.Client; reject: (e: unknown) => void; promise: Promise<never> } | null = null;
  private state: HubStatus = "idle";
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  /** Everything committed after this has not been delivered yet (null before the first connection). */
  private cursor: ReplayCursor | null = null;
  private queue: Notice[] = [];
  /** Work on the connection runs one item at a time, in order: replays, then notification batches. */
  private work: Promise<void> = Promise.resolve();
  private connectedWaiters: (() => void)[] = [];
  private readonly listeningListeners = new Set<(listening: boolean) => void>();
  private lastListening: boolean | null = null;

  constructor(options: LiveHubOptions) {
    this.opts = {
      connectionString: options.connectionString,
      minBackoffMs: options.minBackoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 1000,
      pingMs: options.pingMs ?? 15_000,
      pingTimeoutMs: options.pingTimeoutMs ?? 5_000,
      log: options.log ?? ((message, error) => console.error(`[live] ${message}`, error ?? "")),
    };
  }

  get status(): HubStatus {
    return this.state;
  }

  /**
   * False while the listening connection is down after it was up, or could not be made: events are
   * delayed (none is lost — they are replayed on reconnect). Pages show it ("Delayed").
   */
  get listening(): boolean {
    return this.state !== "reconnecting";
  }

  /** Called with `listening` each time it changes. Returns the unsubscribe function. */
  onListeningChange(listener: (listening: boolean) => void): () => void {
    this.listeningListeners.add(listener);
    return () => this.listeningListeners.delete(listener);
  }

  private setState(state: HubStatus): void {
    this.state = state;
    const listening = this.listening;
    if (listening === this.lastListening || state === "closed") return;
    this.lastListening = listening;
    for (const l of this.listeningListeners) {
      try {
        l(listening);
      } catch (e) {
        this.opts.log("a listening-status listener threw", e);
      }
    }
  }

  /** Resolves once the hub is listening (it connects on the first subscribe, or here). */
  ready(): Promise<void> {
    if (this.state === "closed") return Promise.reject(new Error("The live hub is closed."));
    if (this.state === "connected") return Promise.resolve();
    if (this.state === "idle") this.connect();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /**
   * Calls `listener` with every event of the incident committed from now on, in id order; with
   * `afterId`, first with the stored events after that one (what a reconnecting browser missed).
   * Returns the unsubscribe function.
   */
  subscribe(incidentId: string, afterId: bigint | string | null, listener: LiveListener): () => void {
    if (this.state === "closed") throw new Error("The live hub is closed.");
    const after = afterId === null || afterId === "" ? null : BigInt(afterId);
    const sub: Subscriber = {
      incidentId,
      listener,
      seen: new Set(),
      pending: after === null ? null : [],
      replayAfter: after,
      closed: false,
    };
    let set = this.subs.get(incidentId);
    if (!set) {
      set = new Set();
      this.subs.set(incidentId, set);
    }
    set.add(sub);
    if (this.state === "idle") this.connect();
    else if (this.state === "connected" && after !== null) this.enqueue(() => this.replayFor(sub));
    // Not connected: the replay runs right after the connection is (re)established.
    return () => {
      sub.closed = true;
      const s = this.subs.get(incidentId);
      s?.delete(sub);
      if (s && s.size === 0) this.subs.delete(incidentId);
    };
  }

  /** Number of subscribers (all incidents, or one). */
  subscriberCount(incidentId?: string): number {
    if (incidentId) return this.subs.get(incidentId)?.size ?? 0;
    let n = 0;
    for (const s of this.subs.values()) n += s.size;
    return n;
  }

  /** Cuts the listening connection as if the network had dropped it (tests, diagnostics). */
  dropConnection(): void {
    const client = this.client;
    if (client) this.onDrop(client, new Error("connection dropped on purpose"));
  }

  async close(): Promise<void> {
    this.state = "closed";
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    this.subs.clear();
    const client = this.client;
    this.client = null;
    this.dropped?.reject(new Error("the live hub is closed"));
    this.dropped = null;
    await this.work.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  // ── connection ──

  private connect(): void {
    if (this.state === "closed") return;
    this.setState(this.cursor || this.state === "reconnecting" ? "reconnecting" : "connecting");
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      keepAlive: true,
      application_name: "backout-live",
      connectionTimeoutMillis: 10_000,
      query_timeout: 30_000,
    });
    this.client = client;
    let reject: (e: unknown) => void = () => undefined;
    const promise = new Promise<never>((_, r) => {
      reject = r;
    });
    promise.catch(() => undefined);
    this.dropped = { client, reject, promise };
    client.on("notification", (msg) => {
      if (client !== this.client || msg.channel !== LIVE_CHANNEL || !msg.payload) return;
      try {
        this.queue.push(JSON.parse(msg.payload) as Notice);
      } catch (e) {
        this.opts.log(`unreadable notification ${msg.payload}`, e);
        return;
      }
      this.enqueue(() => this.drain(client));
    });
    client.on("error", (e) => this.onDrop(client, e));
    client.on("end", () => this.onDrop(client, new Error("connection ended")));

    const start = async () => {
      await this.guard(client, client.connect());
      await this.guard(client, client.query(`LISTEN ${LIVE_CHANNEL}`));
      // LISTEN is active: whatever commits from here on is notified. Catch up on what was
      // committed while we were away, then carry on from a cursor taken now.
      const now = await this.guard(client, cursorNow(client));
      const cursor = this.cursor;
      if (cursor) this.deliver(await this.guard(client, replayEvents(client, [...this.subs.keys()], cursor)));
      this.cursor = now;
    };
    this.work = this.work.then(async () => {
      if (client !== this.client) return;
      try {
        await start();
      } catch (e) {
        this.onDrop(client, e);
        return;
      }
      if (client !== this.client) return;
      this.setState("connected");
      this.attempt = 0;
      clearInterval(this.pingTimer);
      // Not queued behind other work: a ping that does not come back in time is how a dead socket shows.
      this.pingTimer = setInterval(() => void this.ping(client), this.opts.pingMs);
      this.pingTimer.unref?.();
      // Subscribers that named an event to start after get their catch-up now (queued behind this item).
      for (const set of this.subs.values()) for (const sub of set) if (sub.replayAfter !== null) this.enqueue(() => this.replayFor(sub));
      for (const resolve of this.connectedWaiters.splice(0)) resolve();
    });
  }

  private onDrop(client: pg.Client, error: unknown): void {
    if (client !== this.client || this.state === "closed") return;
    this.client = null;
    this.queue = [];
    if (this.dropped?.client === client) this.dropped.reject(error);
    this.dropped = null;
    clearInterval(this.pingTimer);
    client.removeAllListeners("notification");
    client.on("error", () => undefined);
    client.end().catch(() => undefined);
    this.setState("reconnecting");
    const delay = Math.min(this.opts.maxBackoffMs, this.opts.minBackoffMs * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.opts.log(
      `listening connection lost (${error instanceof Error ? error.message : String(error)}); reconnecting in ${Math.round(delay)} ms`,
    );
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref?.();
  }

  /** `work`, unless `client` is dropped first (then it rejects at once). */
  private guard<T>(client: pg.Client, work: Promise<T>): Promise<T> {
    work.catch(() => undefined);
    const dropped = this.dropped;
    if (client !== this.client || dropped?.client !== client) return Promise.reject(new Error("connection dropped"));
    return Promise.race([work, dropped.promise]);
  }

  private async ping(client: pg.Client): Promise<void> {
    if (client !== this.client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("ping timed out")), this.opts.pingTimeoutMs);
    });
    try {
      await Promise.race([this.guard(client, client.query("SELECT 1")), timeout]);
    } catch (e) {
      this.onDrop(client, e);
    } finally {
      clearTimeout(timer);
    }
  }

  // ── delivery ──

  private enqueue(fn: () => Promise<void>): void {
    this.work = this.work.then(fn).catch((e) => this.opts.log("live hub work failed", e));
  }

  /** Reads the announced rows of watched incidents, delivers them, and moves the cursor past the batch. */
  private async drain(client: pg.Client): Promise<void> {
    if (client !== this.client || this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    const wanted = batch.filter((n) => this.subs.has(n.incidentId)).map((n) => n.id);
    let events: LiveEventMessage[];
    try {
      events = await this.guard(client, readEvents(client, wanted));
    } catch (e) {
      // The cursor stays before this batch: the reconnect's replay delivers it.
      this.onDrop(client, e);
      return;
    }
    // Dropped meanwhile: the reconnect's replay delivers this batch, in order with what came before.
    if (client !== this.client) return;
    this.deliver(events);
    const last = batch[batch.length - 1] as Notice;
    this.cursor = { lastId: BigInt(last.id), xmin: BigInt(last.xmin), txId: BigInt(last.tx) };
  }

  /** A subscriber's own catch-up "after id N", then the live events that arrived meanwhile. */
  private async replayFor(sub: Subscriber): Promise<void> {
    const client = this.client;
    if (sub.closed || sub.replayAfter === null || !client || this.state !== "connected") return;
    let events: LiveEventMessage[];
    try {
      const cursor = await this.guard(client, cursorAfter(client, sub.replayAfter));
      events = await this.guard(client, replayEvents(client, [sub.incidentId], cursor));
    } catch (e) {
      // replayAfter stays set: the replay runs again once the connection is back.
      this.onDrop(client, e);
      return;
    }
    if (client !== this.client) return;
    sub.replayAfter = null;
    const pending = sub.pending ?? [];
    sub.pending = null;
    for (const e of events) this.offer(sub, e);
    for (const e of pending) this.offer(sub, e);
  }

  private deliver(events: LiveEventMessage[]): void {
    for (const e of events) {
      const set = this.subs.get(e.incidentId);
      if (!set) continue;
      for (const sub of set) {
        if (sub.pending) sub.pending.push(e);
        else this.offer(sub, e);
      }
    }
  }

  private offer(sub: Subscriber, e: LiveEventMessage): void {
    if (sub.closed || sub.seen.has(e.id)) return;
    sub.seen.add(e.id);
    if (sub.seen.size > SEEN_LIMIT) sub.seen.delete(sub.seen.values().next().value as string);
    try {
      sub.listener(e);
    } catch (err) {
      this.opts.log(`a subscriber of incident ${e.incidentId} threw`, err);
    }
  }
}

const globalForHub = globalThis as unknown as { backoutLiveHub?: LiveHub };

/** This process's hub (kept on globalThis so Next's dev reloads do not open a second connection). */
export function getLiveHub(): LiveHub {
  if (!globalForHub.backoutLiveHub) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: the live channel needs the database.");
    globalForHub.backoutLiveHub = new LiveHub({ connectionString: url });
  }
  return globalForHub.backoutLiveHub;
}
