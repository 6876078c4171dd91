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
