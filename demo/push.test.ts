import { afterEach, describe, expect, it, vi } from "vitest";
import { MetricsPusher } from "./lib/push.mjs";

describe("MetricsPusher", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const sample = (ts: string) => ({ metric: "error_rate", ts, value: 0.1 });

  it("keeps samples while Backout is down, logs once per kind of failure, and sends the backlog later", async () => {
    const bodies: { samples: unknown[] }[] = [];
    let up = false;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: URL, init: RequestInit) => {
        if (!up) throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
        bodies.push(JSON.parse(String(init.body)));
        return new Response('{"accepted":1}', { status: 200 });
      }),
    );
    const lines: string[] = [];
    const now = Date.parse("2026-11-26T10:00:20Z");
    const pusher = new MetricsPusher({ backoutUrl: "http://127.0.0.1:9", token: "t", log: (l) => lines.push(l), now: () => now });
    await pusher.push([sample("2026-11-26T10:00:05.000Z")]);
    await pusher.push([sample("2026-11-26T10:00:10.000Z")]);
    await pusher.push([sample("2026-11-26T10:00:15.000Z")]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("ECONNREFUSED");
    expect(pusher.backlog).toHaveLength(3);
    up = true;
    await pusher.push([sample("2026-11-26T10:00:20.000Z")]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0].samples).toHaveLength(4);
    expect(pusher.backlog).toHaveLength(0);
    expect(lines[1]).toContain("recovered");
  });

  it("retries 5xx, drops batches Backout rejects (4xx), and bounds the backlog by age", async () => {
    let status = 503;
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("nope", { status })),
    );
    const lines: string[] = [];
    let now = Date.parse("2026-11-26T10:00:00Z");
    const pusher = new MetricsPusher({ backoutUrl: "http://127.0.0.1:9", log: (l) => lines.push(l), maxBacklogMs: 60_000, now: () => now });
    await pusher.push([sample("2026-11-26T10:00:00.000Z")]);
    expect(pusher.backlog).toHaveLength(1);
    now += 61_000;
    await pusher.push([sample("2026-11-26T10:01:01.000Z")]);
    expect(pusher.backlog.map((s) => s.ts)).toEqual(["2026-11-26T10:01:01.000Z"]);
    expect(lines).toHaveLength(1);
    status = 401;
    await pusher.push([]);
    expect(pusher.backlog).toHaveLength(0);
    expect(lines[1]).toMatch(/401.*dropped/);
  });
});
