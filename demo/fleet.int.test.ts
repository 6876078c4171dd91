// The demo fleet for real: four child processes on 127.0.0.1, real requests, real measurement,
// pushed to a stand-in for Backout's ingestion endpoint that this test runs itself.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ingestBatchSchema } from "@/lib/metrics/ingest-schema";
import { backfillHistory } from "./backfill.mjs";
import { startFleet } from "./fleet.mjs";

type Sample = { metric: string; ts: string; value: number };
type Window = { ts: number; values: Record<string, number> };

const INGEST_TOKEN = "ingest-test-token";
const ROUTER_TOKEN = "router-test-token";

/** Plays POST /api/v1/metrics: checks the bearer token and the batch schema, records what it accepts. */
async function startFakeBackout() {
  const accepted: Sample[][] = [];
  const rejected: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.method !== "POST" || req.url !== "/api/v1/metrics") return reply(404, { error: "not found" });
      if (req.headers.authorization !== `Bearer ${INGEST_TOKEN}`) {
        rejected.push(`auth: ${req.headers.authorization}`);
        return reply(401, { error: "bad token" });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        rejected.push("json");
        return reply(400, { error: "bad json" });
      }
      const check = ingestBatchSchema.safeParse(parsed);
      if (!check.success) {
        rejected.push(check.error.message);
        return reply(400, { error: check.error.message });
      }
      accepted.push((parsed as { samples: Sample[] }).samples);
      reply(200, { accepted: check.data.samples.length });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    rejected,
    /** The live windows pushed so far, by timestamp. */
    windows(): Window[] {
      const byTs = new Map<number, Record<string, number>>();
      for (const s of accepted.flat()) {
        const ts = Date.parse(s.ts);
        const values = byTs.get(ts) ?? {};
        values[s.metric] = s.value;
        byTs.set(ts, values);
      }
      return [...byTs].map(([ts, values]) => ({ ts, values })).sort((a, b) => a.ts - b.ts);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<http.Server>((resolve) => {
          const s = http.createServer();
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("demo fleet", () => {
  it("serves real traffic, pushes measured metrics, and recovers when the router switches to blue", async () => {
    const backout = await startFakeBackout();
    const [router, blue, green, flags] = await freePorts(4);
    const t0 = Date.now();
    const fleet = await startFleet({
      backoutUrl: backout.url,
      ingestToken: INGEST_TOKEN,
      routerToken: ROUTER_TOKEN,
      ports: { router, blue, green, flags },
      log: () => {},
    });
    const startedIn = Date.now() - t0;
    const pids = Object.values(fleet.pids);
    try {
      expect(startedIn).toBeLessThan(10_000);
      expect(fleet.routerUrl).toBe(`http://127.0.0.1:${router}`);
      expect(pids).toHaveLength(5);
      expect(pids.every(alive)).toBe(true);

      // The bad release is live.
      const active = await (await fetch(`${fleet.routerUrl}/admin/active`)).json();
      expect(active).toMatchObject({
        active: "green",
        version: "v2.5.0",
        targets: { blue: { version: "v2.4.0" }, green: { version: "v2.5.0" } },
      });
      const ping = await fetch(`${fleet.routerUrl}/api/ping`);
      expect(ping.status).toBe(200);
      expect(ping.headers.get("x-demo-colour")).toBe("green");
      expect(await (await fetch(`http://127.0.0.1:${green}/health`)).json()).toMatchObject({ status: "ok", version: "v2.5.0" });

      // Two full 5 s windows of green, measured from the load generator's real requests.
      const greenWindows = await waitFor(
        "two windows of green metrics",
        () => {
          const ws = backout.windows();
          return ws.length >= 2 ? ws.slice(0, 2) : undefined;
        },
        17_000,
      );
      const greenAt = Date.now();
      for (const w of greenWindows) {
        expect(w.ts % 5000).toBe(0);
        expect(Object.keys(w.values).sort()).toEqual([
          "availability",
          "error_rate",
          "latency_p50",
          "latency_p95",
          "latency_p99",
          "throughput",
        ]);
        expect(w.values.throughput).toBeGreaterThan(12);
        expect(w.values.throughput).toBeLessThan(28);
        expect(w.values.latency_p99).toBeGreaterThan(500);
        expect(w.values.availability).toBeCloseTo(100 * (1 - w.values.error_rate), 2);
      }
      const greenErrorRate = (greenWindows[0].values.error_rate + greenWindows[1].values.error_rate) / 2;
      expect(greenErrorRate).toBeGreaterThan(0.05);
      expect(greenErrorRate).toBeLessThan(0.35);

      // Switching needs the router token.
      const switchTo = (to: unknown, token?: string) =>
        fetch(`${fleet.routerUrl}/admin/switch`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ to }),
        });
      expect((await switchTo("blue")).status).toBe(401);
      expect((await switchTo("blue", "wrong")).status).toBe(401);
      expect((await switchTo("purple", ROUTER_TOKEN)).status).toBe(400);
      expect((await fetch(`${fleet.routerUrl}/admin/active`).then((r) => r.json())).active).toBe("green");
      const switched = await switchTo("blue", ROUTER_TOKEN);
      expect(switched.status).toBe(200);
      expect(await switched.json()).toMatchObject({ active: "blue", version: "v2.4.0" });
      const switchedAt = Date.now();
      expect((await fetch(`${fleet.routerUrl}/api/ping`)).headers.get("x-demo-colour")).toBe("blue");

      // The first window that began after green's last requests (at most its 1.2 s pool timeout) is all blue.
      const blueWindow = await waitFor(
        "a window of blue metrics",
        () => backout.windows().find((w) => w.ts - 5000 >= switchedAt + 1500),
        15_000,
      );
      const recoveredIn = Date.now() - switchedAt;
      expect(blueWindow.values.error_rate).toBeLessThan(0.03);
      // Blue's p99 is ~60 ms on a quiet machine; on a loaded 2-core CI box it can reach a few
      // hundred. What matters is that it is far below green's pool-timeout p99 (~1.2 s).
      const greenP99 = Math.min(...greenWindows.map((w) => w.values.latency_p99));
      expect(blueWindow.values.latency_p99).toBeLessThan(Math.min(600, greenP99 / 2));
      expect(blueWindow.values.throughput).toBeGreaterThan(12);
      expect(backout.rejected).toEqual([]);
      console.log(
        `demo fleet: started in ${startedIn} ms, 2 green windows after ${greenAt - t0} ms: ${JSON.stringify(greenWindows.map((w) => w.values))}; ` +
          `blue window ${recoveredIn} ms after the switch: ${JSON.stringify(blueWindow.values)}`,
      );
    } finally {
      await fleet.stop();
      await backout.close();
    }
    expect(pids.filter(alive)).toEqual([]);
    await fleet.stop(); // idempotent
  });

  it("green recovers without a switch when its flag is turned off through the flag service's admin API", async () => {
    const backout = await startFakeBackout();
    const [router, blue, green, flags] = await freePorts(4);
    const fleet = await startFleet({
      backoutUrl: backout.url,
      ingestToken: INGEST_TOKEN,
      ports: { router, blue, green, flags },
      log: () => {},
    });
    try {
      const greenWindows = await waitFor(
        "two windows of green metrics",
        () => backout.windows().slice(0, 2).at(1) && backout.windows(),
        17_000,
      );
      expect((greenWindows[0].values.error_rate + greenWindows[1].values.error_rate) / 2).toBeGreaterThan(0.05);
      const off = (token: string) =>
        fetch(`${fleet.flagsUrl}/api/admin/projects/default/features/new-order-confirmation/environments/production/off`, {
          method: "POST",
          headers: { authorization: token },
        });
      expect((await off("*:*.wrong")).status).toBe(401);
      expect(await (await fetch(`http://127.0.0.1:${green}/health`)).json()).toMatchObject({ flags: { "new-order-confirmation": true } });
      expect((await off(fleet.flagsToken)).status).toBe(200);
      const offAt = Date.now();
      // Green reads the flag every second; requests queued before it may still time out for 1.2 s.
      const window = await waitFor(
        "a window after the flag went off",
        () => backout.windows().find((w) => w.ts - 5000 >= offAt + 2500),
        15_000,
      );
      expect(window.values.error_rate).toBeLessThan(0.03);
      expect((await (await fetch(`${fleet.routerUrl}/admin/active`)).json()).active).toBe("green");
      expect(await (await fetch(`http://127.0.0.1:${green}/health`)).json()).toMatchObject({ flags: { "new-order-confirmation": false } });
    } finally {
      await fleet.stop();
      await backout.close();
    }
  });

  it("stops one colour and starts it again, the rest of the fleet untouched", async () => {
    const [router, blue, green, flags] = await freePorts(4);
    const lines: string[] = [];
    const fleet = await startFleet({ ports: { router, blue, green, flags }, log: (l) => lines.push(l), loadRps: 2 });
    const health = async (url: string) => {
      try {
        return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).status;
      } catch {
        return null;
      }
    };
    try {
      const firstBlue = fleet.pids.blue;
      await fleet.stopMember("blue");
      expect(alive(firstBlue)).toBe(false);
      expect(await health(fleet.urls.blue)).toBeNull();
      expect(await health(fleet.urls.green)).toBe(200);
      expect(await health(fleet.routerUrl)).toBe(200);
      expect(lines.some((l) => l.includes("exited unexpectedly"))).toBe(false);
      await fleet.startMember("blue");
      expect(await health(fleet.urls.blue)).toBe(200);
      expect(fleet.pids.blue).not.toBe(firstBlue);
      expect(alive(fleet.pids.blue)).toBe(true);
    } finally {
      await fleet.stop();
    }
    expect(Object.values(fleet.pids).filter(alive)).toEqual([]);
  });

  it("backfills 7 days of synthetic history in 5000-sample batches", async () => {
    const backout = await startFakeBackout();
    try {
      const now = Date.now();
      const result = await backfillHistory({ backoutUrl: backout.url, token: INGEST_TOKEN, deployedAt: now - 25 * 60_000, now });
      expect(result.samples).toBe((7 * 24 * 3600 * 6) / 15);
      expect(result.batches).toBe(Math.ceil(result.samples / 5000));
      expect(backout.accepted.flat()).toHaveLength(result.samples);
      expect(backout.rejected).toEqual([]);
      console.log(`demo backfill: ${result.samples} samples in ${result.batches} batches, ${result.ms} ms`);
      await expect(backfillHistory({ backoutUrl: backout.url, token: "wrong", deployedAt: now, now, batchSize: 6 })).rejects.toThrow(/401/);
    } finally {
      await backout.close();
    }
  });

  it("children exit by themselves when the parent process dies", async () => {
    const [router, blue, green, flags] = await freePorts(4);
    const parent = spawn(process.execPath, [fileURLToPath(new URL("./fleet.mjs", import.meta.url))], {
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH ?? "",
        DEMO_ROUTER_PORT: String(router),
        DEMO_BLUE_PORT: String(blue),
        DEMO_GREEN_PORT: String(green),
        DEMO_FLAGS_PORT: String(flags),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let output = "";
      parent.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
      });
      const pids = await waitFor(
        "the fleet's pids",
        () => {
          const m = /pids: router (\d+), blue (\d+), green (\d+), flags (\d+), load (\d+)/.exec(output);
          return m ? m.slice(1).map(Number) : undefined;
        },
        10_000,
      );
      expect(pids.every(alive)).toBe(true);
      parent.kill("SIGKILL"); // no chance to clean up: the children must notice on their own
      await waitFor("the children to exit", () => (pids.some(alive) ? undefined : true), 5000);
    } finally {
      if (parent.exitCode === null) parent.kill("SIGKILL");
    }
  });
});
