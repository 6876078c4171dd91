// The live channel against a real PostgreSQL: publishLive announces only committed changes, every
// hub (= app instance, each on its own connection) receives them, a dropped connection or a
// reconnecting browser loses nothing — including events whose ids commit out of order — and
// presence follows streams opening, closing and dying.
import { randomUUID } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { makeIncident, makeUser } from "@/lib/testing/factories";
import { runDueJobs } from "@/lib/testing/jobs";
import { startRelay } from "@/lib/testing/tcp-relay";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { getLiveHub, LiveHub } from "./hub";
import { joinPresence, leavePresence, listPresence, refreshPresence, sweepStalePresence } from "./presence";
import { publishLive } from "./publish";
import { openIncidentStream } from "./stream";
import type { LiveEventMessage, PresencePayload, StepLogPayload } from "./topics";

const db = () => getDb();
const hubs: LiveHub[] = [];
const quiet = () => undefined;

afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.close()));
});

async function startHub(): Promise<LiveHub> {
  const hub = new LiveHub({ connectionString: process.env.DATABASE_URL as string, minBackoffMs: 50, maxBackoffMs: 200, log: quiet });
  hubs.push(hub);
  await hub.ready();
  return hub;
}

function collect(hub: LiveHub, incidentId: string, afterId: bigint | string | null = null) {
  const events: LiveEventMessage[] = [];
  const unsubscribe = hub.subscribe(incidentId, afterId, (e) => events.push(e));
  return { events, unsubscribe };
}

async function waitFor(what: string, fn: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function publish(incidentId: string, payload: unknown, topic: "checklist" | "step" = "checklist") {
  return db().$transaction((tx) => publishLive(tx, incidentId, topic, payload));
}

const ids = (events: LiveEventMessage[]) => events.map((e) => e.id);
const payloads = (events: LiveEventMessage[]) => events.map((e) => e.payload);

describe("publishLive", () => {
  it("stores the event and announces it only when the transaction commits", async () => {
    const incident = await makeIncident();
    const user = await makeUser("RESPONDER");
    const hub = await startHub();
    const { events } = collect(hub, incident.id);

    let inside = -1;
    const id = await db().$transaction(async (tx) => {
      const id = await publishLive(tx, incident.id, "checklist", { item: 1, note: "ticked" }, user.id);
      await sleep(300); // the notification is queued, not sent, until COMMIT
      inside = events.length;
      return id;
    });
    expect(inside).toBe(0);
    await waitFor("the committed event", () => events.length === 1);
    expect(events[0]).toMatchObject({
      id: id.toString(),
      incidentId: incident.id,
      topic: "checklist",
      payload: { item: 1, note: "ticked" },
      actorId: user.id,
    });
    expect(Number.isNaN(Date.parse(events[0]?.at ?? ""))).toBe(false);
  });

  it("announces nothing from a rolled-back transaction", async () => {
    const incident = await makeIncident();
    const hub = await startHub();
    const { events } = collect(hub, incident.id);

    await expect(
      db().$transaction(async (tx) => {
        await publishLive(tx, incident.id, "checklist", { n: "rolled back" });
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    // A later committed event arrives alone: the rolled-back one was neither stored nor announced.
    await publish(incident.id, { n: "committed" });
    await waitFor("the committed event", () => events.length >= 1);
    await sleep(200);
    expect(payloads(events)).toEqual([{ n: "committed" }]);
    expect(await db().liveEvent.count({ where: { incidentId: incident.id } })).toBe(1);
  });

  it("timeline events and stored step output lines are published in their own transaction", async () => {
    const incident = await makeIncident();
    const user = await makeUser("RESPONDER");
    const hub = await startHub();
    const { events } = collect(hub, incident.id);

    await db().$transaction((tx) =>
      recordTimelineEvent(tx, { incidentId: incident.id, kind: "NOTE", message: "Checked the router", actorId: user.id }),
    );
    const stepId = await makeStep(incident.id, user.id);
    await db().stepLogLine.createMany({
      data: [
        { stepId, stream: "STDOUT", line: "switching traffic to blue" },
        { stepId, stream: "STDERR", line: "warning: slow" },
      ],
    });
    await waitFor("timeline + steplog", () => events.length >= 2);
    expect(events[0]).toMatchObject({ topic: "timeline", actorId: user.id, payload: { kind: "NOTE", message: "Checked the router" } });
    expect(events[1]?.topic).toBe("steplog");
    const log = events[1]?.payload as StepLogPayload;
    expect(log.stepId).toBe(stepId);
    expect(log.lines.map((l) => [l.stream, l.line])).toEqual([
      ["STDOUT", "switching traffic to blue"],
      ["STDERR", "warning: slow"],
    ]);
    expect(Number.isNaN(Date.parse(log.lines[0]?.ts ?? ""))).toBe(false);
  });
});

async function makeStep(incidentId: string, userId: string): Promise<string> {
  const now = Date.now();
  const evidence = await db().evidenceSnapshot.create({
    data: {
      incidentId,
      baselineFrom: new Date(now - 7200_000),
      baselineTo: new Date(now - 3600_000),
      currentFrom: new Date(now - 300_000),
      currentTo: new Date(now),
      metrics: {},
      criteria: {},
      probes: [],
      impact: {},
    },
  });
  const decision = await db().decision.create({
    data: {
      incidentId,
      tier: "FAST",
      recommendedTier: "FAST",
      strategy: "CUSTOM",
      reason: "live test",
      decidedById: userId,
      evidenceId: evidence.id,
      plan: [],
      planHash: "x",
      status: "APPROVED",
    },
  });
  const run = await db().rollbackRun.create({
    data: {
      incidentId,
      decisionId: decision.id,
      planHash: "x",
      steps: { create: [{ position: 0, name: "Switch", executor: "WAIT", config: { seconds: 1 } }] },
    },
    include: { steps: true },
  });
  return run.steps[0]?.id as string;
}

describe("LiveHub", () => {
  it("two hubs on separate connections (two app instances) both receive every event, in id order", async () => {
    const incident = await makeIncident();
    const [a, b] = [await startHub(), await startHub()];
    const ea = collect(a, incident.id);
    const eb = collect(b, incident.id);
    for (let i = 0; i < 20; i++) await publish(incident.id, { i });
    await waitFor("20 events on both", () => ea.events.length === 20 && eb.events.length === 20);
    expect(payloads(ea.events)).toEqual(Array.from({ length: 20 }, (_, i) => ({ i })));
    expect(ids(eb.events)).toEqual(ids(ea.events));
    const numeric = ids(ea.events).map(BigInt);
    expect([...numeric].sort((x, y) => (x < y ? -1 : 1))).toEqual(numeric);
  });

  it("delivers an incident's events only to its subscribers and stops after unsubscribe", async () => {
    const [one, two] = [await makeIncident(), await makeIncident()];
    const hub = await startHub();
    const s1 = collect(hub, one.id);
    const s2 = collect(hub, two.id);
    await publish(one.id, { to: "one" });
    await publish(two.id, { to: "two" });
    await waitFor("both", () => s1.events.length === 1 && s2.events.length === 1);
    s1.unsubscribe();
    await publish(one.id, { to: "one again" });
    await publish(two.id, { to: "two again" });
    await waitFor("second on two", () => s2.events.length === 2);
    await sleep(100);
    expect(payloads(s1.events)).toEqual([{ to: "one" }]);
    expect(payloads(s2.events)).toEqual([{ to: "two" }, { to: "two again" }]);
    expect(hub.subscriberCount(one.id)).toBe(0);
  });

  it("replays stored events after the id a subscriber names, then continues live without duplicates", async () => {
    const incident = await makeIncident();
    const first = await publish(incident.id, { n: 1 });
    await publish(incident.id, { n: 2 });
    await publish(incident.id, { n: 3 });
    const hub = await startHub();
    const { events } = collect(hub, incident.id, first);
    await publish(incident.id, { n: 4 });
    await waitFor("2, 3 and 4", () => events.length >= 3);
    await sleep(100);
    expect(payloads(events)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
  });

  it("loses nothing when its connection is killed: reconnects and replays what was committed meanwhile", async () => {
    const incident = await makeIncident();
    const hub = await startHub();
    const { events } = collect(hub, incident.id);
    await publish(incident.id, { n: 0 });
    await waitFor("first event", () => events.length === 1);

    // The server kills the listening connection; changes keep committing while the hub is away.
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'backout-live' AND datname = current_database()`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const writes = (async () => {
      for (let n = 1; n <= 30; n++) await publish(incident.id, { n });
    })();
    await writes;
    await waitFor("all 31 events", () => events.length >= 31, 15_000);
    await sleep(200);
    expect(hub.status).toBe("connected");
    expect(payloads(events)).toEqual(Array.from({ length: 31 }, (_, n) => ({ n })));
  });

  it("survives repeated drops under a steady stream of writes without losing or repeating an event", async () => {
    const incident = await makeIncident();
    const hub = await startHub();
    const { events } = collect(hub, incident.id);
    let stop = false;
    let written = 0;
    const writer = (async () => {
      while (!stop) {
        await publish(incident.id, { n: written });
        written += 1;
      }
    })();
    for (let i = 0; i < 4; i++) {
      await sleep(150);
      hub.dropConnection();
      await hub.ready();
    }
    await sleep(100);
    stop = true;
    await writer;
    await waitFor(`all ${written} events`, () => events.length >= written, 15_000);
    await sleep(200);
    expect(payloads(events)).toEqual(Array.from({ length: written }, (_, n) => ({ n })));
  });

  it("notices a connection that went silent (no FIN, no RST), reconnects and replays what it missed", async () => {
    // A TCP relay to PostgreSQL whose open sockets can be frozen: bytes stop flowing both ways,
    // as when a NAT or firewall forgets the connection. New connections still get through.
    const target = new URL(process.env.DATABASE_URL as string);
    const sockets: net.Socket[] = [];
    const relay = net.createServer((inbound) => {
      const outbound = net.connect(Number(target.port || 5432), target.hostname);
      sockets.push(inbound, outbound);
      const pipe = (from: net.Socket, to: net.Socket) =>
        from.on("data", (chunk) => {
          if (!(from as net.Socket & { frozen?: boolean }).frozen) to.write(chunk);
        });
      pipe(inbound, outbound);
      pipe(outbound, inbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on("error", close).on("close", close);
      outbound.on("error", close).on("close", close);
    });
    await new Promise<void>((r) => relay.listen(0, "127.0.0.1", () => r()));
    const via = new URL(target);
    via.hostname = "127.0.0.1";
    via.port = String((relay.address() as net.AddressInfo).port);
    try {
      const incident = await makeIncident();
      const hub = new LiveHub({ connectionString: via.toString(), minBackoffMs: 50, pingMs: 200, pingTimeoutMs: 500, log: quiet });
      hubs.push(hub);
      await hub.ready();
      const { events } = collect(hub, incident.id);
      await publish(incident.id, { n: 0 });
      await waitFor("first event", () => events.length === 1);

      for (const s of sockets) (s as net.Socket & { frozen?: boolean }).frozen = true;
      for (let n = 1; n <= 5; n++) await publish(incident.id, { n });
      await waitFor("all 6 events after the hub gave up on the silent connection", () => events.length >= 6, 15_000);
      expect(payloads(events)).toEqual(Array.from({ length: 6 }, (_, n) => ({ n })));
    } finally {
      for (const s of sockets) s.destroy();
      relay.close();
    }
  });

  it("says it is not listening within 2 s of the database going away, and listens again within 1 s of its return", async () => {
    const relay = await startRelay(process.env.DATABASE_URL as string);
    try {
      const incident = await makeIncident();
      // The default back-off (bounded at 1 s): what production uses.
      const hub = new LiveHub({ connectionString: relay.url, log: quiet });
      hubs.push(hub);
      const changes: { listening: boolean; at: number }[] = [];
      hub.onListeningChange((listening) => changes.push({ listening, at: performance.now() }));
      await hub.ready();
      const { events } = collect(hub, incident.id);
      expect(hub.listening).toBe(true);

      const cut = performance.now();
      await relay.cut();
      await waitFor("not listening", () => !hub.listening, 2000);
      expect(changes.at(-1)).toMatchObject({ listening: false });
      expect((changes.at(-1)?.at ?? Infinity) - cut).toBeLessThan(2000);
      // Let the back-off reach its bound while the database is away.
      await sleep(4000);
      await publish(incident.id, { n: 1 }); // committed while the hub cannot hear it

      const back = performance.now();
      await relay.restore();
      await waitFor("listening again", () => hub.listening, 1500);
      expect(performance.now() - back).toBeLessThan(1000 + 250);
      await waitFor("the event committed during the outage", () => events.length === 1, 5000);
      expect(changes.map((c) => c.listening)).toEqual([true, false, true]);
    } finally {
      await relay.close();
    }
  });

  it("a stream closed at once leaves no presence row behind: its leave waits for its join", async () => {
    const incident = await makeIncident();
    const user = await makeUser("RESPONDER");
    try {
      for (let i = 0; i < 5; i++) {
        const abort = new AbortController();
        const stream = openIncidentStream(new Request("http://x/api/incidents/1/stream", { signal: abort.signal }), incident.id, user);
        const reader = stream.getReader();
        await reader.read();
        abort.abort();
      }
      await sleep(1000);
      expect(await listPresence(incident.id)).toEqual([]);
    } finally {
      await getLiveHub().close();
      delete (globalThis as { backoutLiveHub?: unknown }).backoutLiveHub;
    }
  });

  it("a reconnecting subscriber gets an event whose smaller id committed after the one it saw last", async () => {
    const incident = await makeIncident();
    const hub = await startHub();
    const first = collect(hub, incident.id);

    // Transaction A takes its id first but commits last.
    let releaseA: () => void = () => undefined;
    const aHolds = new Promise<void>((r) => {
      releaseA = r;
    });
    let aId = 0n;
    const a = db().$transaction(
      async (tx) => {
        aId = await publishLive(tx, incident.id, "checklist", { tx: "A" });
        await aHolds;
      },
      { timeout: 20_000 },
    );
    await waitFor("A's id", () => aId > 0n);
    const bId = await publish(incident.id, { tx: "B" });
    expect(bId > aId).toBe(true);
    await waitFor("B", () => first.events.length === 1);
    expect(first.events[0]?.id).toBe(bId.toString());

    // The browser goes away having seen B (its Last-Event-ID), then A commits.
    first.unsubscribe();
    releaseA();
    await a;
    await publish(incident.id, { tx: "C" });

    // Reconnecting "after B" still brings A: plain `id > B` would have lost it.
    const again = collect(hub, incident.id, bId);
    await waitFor("A and C", () => again.events.length >= 2);
    await sleep(100);
    expect(payloads(again.events)).toEqual([{ tx: "A" }, { tx: "C" }]);
  });
});

describe("retention", () => {
  it("the hourly prune job deletes events older than a week and presence rows abandoned for an hour, and only those", async () => {
    const incident = await makeIncident();
    const old = await publish(incident.id, { n: "old" });
    const recent = await publish(incident.id, { n: "recent" });
    await db().$executeRaw`UPDATE "LiveEvent" SET at = now() - interval '8 days' WHERE id = ${old}`;
    const viewer = await makeUser("RESPONDER");
    const [abandoned, stale, fresh] = [randomUUID(), randomUUID(), randomUUID()];
    for (const connectionId of [abandoned, stale, fresh]) {
      await joinPresence({ connectionId, incidentId: incident.id, userId: viewer.id, instance: "test" });
    }
    await db().$executeRaw`UPDATE "LivePresence" SET "lastSeenAt" = now() - interval '2 hours' WHERE id = ${abandoned}`;
    await db().$executeRaw`UPDATE "LivePresence" SET "lastSeenAt" = now() - interval '5 minutes' WHERE id = ${stale}`;
    await db().$transaction((tx) => enqueueJob(tx, "live.prune", {}));
    await runDueJobs();
    const left = (await db().liveEvent.findMany({ where: { incidentId: incident.id }, orderBy: { id: "asc" }, select: { id: true } })).map(
      (e) => e.id,
    );
    expect(left[0]).toBe(recent); // the presence joins published events after it
    expect(left).not.toContain(old);
    const rows = await db().livePresence.findMany({ where: { incidentId: incident.id }, select: { id: true } });
    expect(rows.map((r) => r.id).sort()).toEqual([stale, fresh].sort());
  });
});

describe("presence", () => {
  it("lists each viewer once, publishes the list on join and leave, and ignores then sweeps stale streams", async () => {
    const incident = await makeIncident();
    const [rita, rob] = [await makeUser("RESPONDER"), await makeUser("RELEASE_MANAGER")];
    const hub = await startHub();
    const { events } = collect(hub, incident.id);
    const conn = (userId: string) => ({ connectionId: randomUUID(), incidentId: incident.id, userId, instance: "test" });
    const [c1, c2, c3] = [conn(rita.id), conn(rob.id), conn(rita.id)];

    expect(await joinPresence(c1)).toEqual([{ id: rita.id, name: rita.name, email: rita.email, role: "RESPONDER" }]);
    await joinPresence(c2);
    await joinPresence(c3); // Rita's second tab
    expect((await listPresence(incident.id)).map((v) => v.id)).toEqual([rita.id, rob.id]);
    await waitFor("three presence events", () => events.length === 3);
    const lists = events.map((e) => (e.payload as PresencePayload).viewers.map((v) => v.id));
    expect(lists).toEqual([[rita.id], [rita.id, rob.id], [rita.id, rob.id]]);
    expect(events.every((e) => e.topic === "presence")).toBe(true);

    await leavePresence(c1.connectionId); // one of Rita's tabs: she is still here (listed by her remaining, newer tab)
    expect((await listPresence(incident.id)).map((v) => v.id)).toEqual([rob.id, rita.id]);
    await leavePresence(c2.connectionId);
    expect((await listPresence(incident.id)).map((v) => v.id)).toEqual([rita.id]);
    await leavePresence(c2.connectionId); // twice: nothing more happens
    await waitFor("two leave events", () => events.length === 5);
    expect(events[4]?.payload).toMatchObject({ viewers: [{ id: rita.id }], left: [rob.id] });

    // Rita's remaining stream stops refreshing (its instance died): ignored after 30 s, then swept.
    expect(await refreshPresence(c3.connectionId)).toBe(true);
    await db().$executeRaw`UPDATE "LivePresence" SET "lastSeenAt" = now() - interval '31 seconds' WHERE id = ${c3.connectionId}`;
    expect(await listPresence(incident.id)).toEqual([]);
    expect(await sweepStalePresence(incident.id)).toBe(1);
    expect(await sweepStalePresence(incident.id)).toBe(0);
    await waitFor("the sweep's event", () => events.length === 6);
    expect(events[5]?.payload).toMatchObject({ viewers: [], left: [rita.id] });
    expect(await refreshPresence(c3.connectionId)).toBe(false);
  });

  it("a disabled user's stream is told to stop at its next refresh", async () => {
    const incident = await makeIncident();
    const user = await makeUser("VIEWER");
    const c = { connectionId: randomUUID(), incidentId: incident.id, userId: user.id, instance: "test" };
    await joinPresence(c);
    expect(await refreshPresence(c.connectionId)).toBe(true);
    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await refreshPresence(c.connectionId)).toBe(false);
  });

  it("concurrent joins each publish a list that includes everyone who joined before", async () => {
    const incident = await makeIncident();
    const users = await Promise.all(Array.from({ length: 6 }, () => makeUser("VIEWER")));
    const hub = await startHub();
    const { events } = collect(hub, incident.id);
    await Promise.all(users.map((u) => joinPresence({ connectionId: randomUUID(), incidentId: incident.id, userId: u.id, instance: "t" })));
    await waitFor("six events", () => events.length === 6);
    const sizes = events.map((e) => (e.payload as PresencePayload).viewers.length);
    expect(sizes).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
