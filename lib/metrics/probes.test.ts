// Feature probes shared for a moment: a probe started within `reuseWithinMs` is reused (in flight or
// done, with the time it ran), an older one or a changed target is probed anew.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProbeTarget, probeFeatures } from "./probes";

let hits = 0;
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    hits++;
    setTimeout(() => res.writeHead(200).end("ok"), 50);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

function target(id: string, over: Partial<ProbeTarget> = {}): ProbeTarget {
  return {
    id,
    name: `Feature ${id}`,
    probeUrl: `${base}/${id}`,
    probeMethod: "GET",
    expectedStatus: 200,
    timeoutMs: 2000,
    degradedLatencyMs: 1000,
    ...over,
  };
}

describe("probeFeatures", () => {
  it("probes anew by default, and reuses a recent probe only when asked to", async () => {
    const t = target("a");
    const first = await probeFeatures([t]);
    await probeFeatures([t]);
    expect(hits).toBe(2);
    const reused = await probeFeatures([t], { reuseWithinMs: 10_000 });
    expect(hits).toBe(2);
    expect(reused[0].status).toBe("WORKING");
    expect(reused[0].checkedAt).toBeGreaterThanOrEqual(first[0].checkedAt);
    await new Promise((r) => setTimeout(r, 30));
    // Too old for this caller: probed again.
    await probeFeatures([t], { reuseWithinMs: 10 });
    expect(hits).toBe(3);
  });

  it("a probe in flight is shared, and a changed target is its own", async () => {
    const before = hits;
    const t = target("b");
    const [one, two] = await Promise.all([probeFeatures([t], { reuseWithinMs: 5000 }), probeFeatures([t], { reuseWithinMs: 5000 })]);
    expect(hits - before).toBe(1);
    expect(two[0]).toEqual(one[0]);
    await probeFeatures([target("b", { expectedStatus: 204 })], { reuseWithinMs: 5000 });
    expect(hits - before).toBe(2);
  });
});

describe("probeFeatures, stale while revalidating", () => {
  it("answers a finished probe at once and probes again behind it, one probe at a time", async () => {
    let slowHits = 0;
    let delay = 0;
    const slow = http.createServer((_req, res) => {
      slowHits++;
      setTimeout(() => res.writeHead(200).end("ok"), delay);
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      const t = { ...target("c"), probeUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/c` };
      const options = { reuseWithinMs: 10, staleWithinMs: 60_000 };
      // Nothing finished yet: the caller waits for the first probe.
      const [first] = await probeFeatures([t], options);
      expect(slowHits).toBe(1);
      await new Promise((r) => setTimeout(r, 30));

      // The service turns slow. The next callers get the finished probe without waiting for it...
      delay = 400;
      const started = performance.now();
      const [stale] = await probeFeatures([t], options);
      const [again] = await probeFeatures([t], options);
      expect(performance.now() - started).toBeLessThan(200);
      expect(stale).toEqual(first);
      expect(again).toEqual(first);
      // ...while exactly one new probe runs behind them.
      await new Promise((r) => setTimeout(r, 600));
      expect(slowHits).toBe(2);
      const [fresh] = await probeFeatures([t], { ...options, reuseWithinMs: 60_000 });
      expect(fresh.checkedAt).toBeGreaterThan(first.checkedAt);
      expect(fresh.status).toBe("WORKING");
      expect(fresh.latencyMs).toBeGreaterThanOrEqual(400);

      // Older than staleWithinMs: the caller waits for a new probe, as without the option.
      await new Promise((r) => setTimeout(r, 30));
      delay = 0;
      const [waited] = await probeFeatures([t], { reuseWithinMs: 0, staleWithinMs: 1 });
      expect(slowHits).toBe(3);
      expect(waited.checkedAt).toBeGreaterThan(fresh.checkedAt);
    } finally {
      await new Promise((r) => slow.close(r));
    }
  });
});
