// PrometheusProvider against a real Prometheus (the Debian package's binary) scraping a real
// exporter: a small HTTP service that counts the requests this test sends it, some failing with
// 500 and some slow, and exposes the counts in Prometheus' text format. Everything listens on
// 127.0.0.1 and is stopped in afterAll.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrometheusProvider, resolveQueries } from "./prometheus";
import { METRIC_KINDS, type MetricKind, MetricsUnavailableError, type Series } from "./types";

const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN || "/usr/bin/prometheus";
const SERVICE = "checkout-service";
const SELECTOR = `service="${SERVICE}"`;
const HOST = "127.0.0.1";

// Traffic: one request every 20 ms; every 5th answered 500, every 10th (others) delayed 300 ms.
const TRAFFIC_INTERVAL_MS = 20;
const SLOW_MS = 300;
const failsAt = (i: number) => i % 5 === 0;
const slowAt = (i: number) => i % 10 === 3;
const SCRAPES_WANTED = 6;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, HOST, resolve));
  return (server.address() as net.AddressInfo).port;
}

async function close(server: http.Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

// ---------------------------------------------------------------------------------------------
// The exporter: a service that measures itself.

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

class CheckoutService {
  readonly requests = new Map<string, number>([
    // Both series exist from the first scrape, as a real client library's would once declared.
    ["200", 0],
    ["500", 0],
  ]);
  private readonly buckets = BUCKETS.map(() => 0);
  private sum = 0;
  private count = 0;
  private readonly finishedAt: number[] = [];
  readonly server = http.createServer((req, res) => this.handle(req, res));

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", `http://${HOST}`);
    if (url.pathname === "/metrics") {
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(this.exposition());
      return;
    }
    const started = process.hrtime.bigint();
    const delay = Number(url.searchParams.get("delayMs") ?? 0);
    if (delay > 0) await sleep(delay);
    const status = url.searchParams.get("fail") === "1" ? 500 : 200;
    res.once("finish", () => {
      this.requests.set(String(status), (this.requests.get(String(status)) ?? 0) + 1);
      this.observe(Number(process.hrtime.bigint() - started) / 1e9);
      this.finishedAt.push(Date.now());
    });
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: status === 200 }));
  }

  private observe(seconds: number) {
    const i = BUCKETS.findIndex((le) => seconds <= le);
    if (i >= 0) this.buckets[i]++;
    this.sum += seconds;
    this.count++;
  }

  /** Requests answered per second during the `windowMs` before `at`. */
  handledPerSecond(at: number, windowMs: number): number {
    return this.finishedAt.filter((t) => t > at - windowMs && t <= at).length / (windowMs / 1000);
  }

  get total(): number {
    return [...this.requests.values()].reduce((a, b) => a + b, 0);
  }

  private exposition(): string {
    const sel = `service="${SERVICE}"`;
    const lines = ["# HELP http_requests_total Requests handled.", "# TYPE http_requests_total counter"];
    for (const [status, n] of this.requests) lines.push(`http_requests_total{${sel},status="${status}"} ${n}`);
    lines.push("# HELP http_request_duration_seconds Time to answer a request.", "# TYPE http_request_duration_seconds histogram");
    let cumulative = 0;
    BUCKETS.forEach((le, i) => {
      cumulative += this.buckets[i];
      lines.push(`http_request_duration_seconds_bucket{${sel},le="${le}"} ${cumulative}`);
    });
    lines.push(
      `http_request_duration_seconds_bucket{${sel},le="+Inf"} ${this.count}`,
      `http_request_duration_seconds_sum{${sel}} ${this.sum}`,
      `http_request_duration_seconds_count{${sel}} ${this.count}`,
    );
    return `${lines.join("\n")}\n`;
  }
}

/** Real HTTP requests to the service, until stopped. */
class Traffic {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private sent = 0;
  startedAt = 0;

  start(port: number) {
    this.startedAt = Date.now();
    this.timer = setInterval(() => {
      const i = this.sent++;
      const params = new URLSearchParams({ fail: failsAt(i) ? "1" : "0", delayMs: slowAt(i) ? String(SLOW_MS) : "0" });
      const request = fetch(`http://${HOST}:${port}/checkout?${params}`)
        .then((r) => r.arrayBuffer())
        .catch(() => {})
        .finally(() => this.inFlight.delete(request));
      this.inFlight.add(request);
    }, TRAFFIC_INTERVAL_MS);
  }

  async stop() {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }
}

// ---------------------------------------------------------------------------------------------
// Prometheus

class PrometheusServer {
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];
  private exited: Promise<void> | undefined;
  readonly killOnExit = () => this.child?.kill("SIGKILL");
  baseUrl = "";
  dir = "";

  async start(targetPort: number) {
    this.dir = await mkdtemp(path.join(os.tmpdir(), "backout-prometheus-"));
    const config = path.join(this.dir, "prometheus.yml");
    await writeFile(
      config,
      [
        "global:",
        "  scrape_interval: 1s",
        "  scrape_timeout: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        "  - job_name: checkout",
        "    static_configs:",
        `      - targets: ["${HOST}:${targetPort}"]`,
        "",
      ].join("\n"),
    );
    const port = await freePort();
    this.baseUrl = `http://${HOST}:${port}`;
    const child = spawn(
      PROMETHEUS_BIN,
      [`--config.file=${config}`, `--storage.tsdb.path=${path.join(this.dir, "data")}`, `--web.listen-address=${HOST}:${port}`],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    // If the test worker dies without afterAll, Prometheus must not outlive it.
    process.once("exit", this.killOnExit);
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split("\n").filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 30));
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));

    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`Prometheus exited (${child.exitCode ?? child.signalCode}):\n${this.log()}`);
      const ready = await fetch(`${this.baseUrl}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await sleep(100);
    }
    throw new Error(`Prometheus was not ready within 20 s:\n${this.log()}`);
  }

  /** The value of an instant query, or undefined when it has none yet. */
  async instant(query: string): Promise<number | undefined> {
    const r = await fetch(`${this.baseUrl}/api/v1/query?${new URLSearchParams({ query })}`);
    const body = (await r.json()) as { data?: { result?: { value: [number, string] }[] } };
    const value = body.data?.result?.[0]?.value[1];
    return value === undefined ? undefined : Number(value);
  }

  log(): string {
    return this.output.join("\n");
  }

  async stop() {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const stopped = await Promise.race([this.exited?.then(() => true), sleep(5000).then(() => false)]);
      if (!stopped) {
        child.kill("SIGKILL");
        await this.exited;
      }
    }
    process.off("exit", this.killOnExit);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const service = new CheckoutService();
const traffic = new Traffic();
const prometheus = new PrometheusServer();
let provider: PrometheusProvider;
let hanging: http.Server | undefined;

beforeAll(async () => {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(
      `The prometheus binary is missing (looked for ${PROMETHEUS_BIN}). Install it with: apt-get update && apt-get install -y prometheus`,
    );
  }
  const servicePort = await listen(service.server);
  traffic.start(servicePort);
  await prometheus.start(servicePort);

  // rate() over [1m] needs at least two scrapes; a few more make the values settle.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const scrapes = await prometheus.instant('count_over_time(up{job="checkout"}[1m])');
    if (scrapes !== undefined && scrapes >= SCRAPES_WANTED) break;
    if (Date.now() > deadline) throw new Error(`Prometheus scraped the exporter only ${scrapes ?? 0} times in 20 s:\n${prometheus.log()}`);
    await sleep(250);
  }
  provider = new PrometheusProvider({ baseUrl: prometheus.baseUrl, queries: resolveQueries(SELECTOR) });
});

afterAll(async () => {
  await traffic.stop();
  await prometheus.stop();
  await close(service.server);
  await close(hanging);
});

const byMetric = (series: Series[]) => Object.fromEntries(series.map((s) => [s.metric, s])) as Record<MetricKind, Series>;
const last = (s: Series) => s.points[s.points.length - 1].v;

describe("PrometheusProvider against a real Prometheus", () => {
  it("returns all six metrics in Backout's units over a range", async () => {
    const to = new Date();
    const series = await provider.queryRange({ metrics: METRIC_KINDS, from: new Date(traffic.startedAt), to, stepSeconds: 1 });
    const failedFraction = (service.requests.get("500") ?? 0) / service.total;

    expect(series.map((s) => s.metric)).toEqual([...METRIC_KINDS]);
    for (const s of series) {
      expect(s.points.length, s.metric).toBeGreaterThanOrEqual(2);
      expect(s.points.every((p, i) => i === 0 || p.t - s.points[i - 1].t === 1000)).toBe(true);
      expect((s as { notes?: string[] }).notes, s.metric).toBeUndefined();
    }
    const m = byMetric(series);

    expect(failedFraction).toBeCloseTo(0.2, 1);
    for (const p of m.ERROR_RATE.points) {
      expect(p.v).toBeGreaterThan(0.1);
      expect(p.v).toBeLessThan(0.3);
    }
    expect(Math.abs(last(m.ERROR_RATE) - failedFraction)).toBeLessThan(0.05);

    // Fast requests (90%) take well under 25 ms; the slow 10% take 300 ms, in the (250, 500] ms bucket.
    expect(last(m.LATENCY_P50)).toBeGreaterThan(0);
    expect(last(m.LATENCY_P50)).toBeLessThan(25);
    expect(last(m.LATENCY_P95)).toBeGreaterThan(250);
    expect(last(m.LATENCY_P99)).toBeGreaterThan(last(m.LATENCY_P95));
    expect(last(m.LATENCY_P99)).toBeLessThanOrEqual(500);

    // rate(...[1m]) divides by the whole minute, so with only seconds of data it reads low; the
    // short-window check below compares the value with what the service actually handled.
    expect(last(m.THROUGHPUT)).toBeGreaterThan(0);
    expect(last(m.THROUGHPUT)).toBeLessThan(service.handledPerSecond(to.getTime(), 10_000) * 1.3);

    const errorRateAt = new Map(m.ERROR_RATE.points.map((p) => [p.t, p.v]));
    expect(m.AVAILABILITY.points.length).toBe(m.ERROR_RATE.points.length);
    for (const p of m.AVAILABILITY.points) expect(p.v).toBeCloseTo(100 * (1 - (errorRateAt.get(p.t) ?? Number.NaN)), 6);
  });

  it("measures throughput in requests per second", async () => {
    const shortWindow = new PrometheusProvider({
      baseUrl: prometheus.baseUrl,
      queries: { THROUGHPUT: `sum(rate(http_requests_total{${SELECTOR}}[5s]))` },
    });
    const at = new Date();
    const { THROUGHPUT } = await shortWindow.queryInstant(["THROUGHPUT"], at);
    const handled = service.handledPerSecond(at.getTime(), 5000);
    expect(handled).toBeGreaterThan(10);
    expect(THROUGHPUT).toBeGreaterThan(handled * 0.7);
    expect(THROUGHPUT).toBeLessThan(handled * 1.3);
  });

  it("reads the current values with queryInstant", async () => {
    const values = await provider.queryInstant(METRIC_KINDS, new Date());
    expect(Object.keys(values).sort()).toEqual([...METRIC_KINDS].sort());
    for (const k of METRIC_KINDS) expect(values[k], k).toEqual(expect.any(Number));
    expect(values.ERROR_RATE).toBeGreaterThan(0.1);
    expect(values.ERROR_RATE).toBeLessThan(0.3);
    expect(values.AVAILABILITY).toBeCloseTo(100 * (1 - values.ERROR_RATE!), 6);
    expect(values.LATENCY_P99).toBeGreaterThan(values.LATENCY_P50!);
    expect(values.THROUGHPUT).toBeGreaterThan(0);
  });

  it("reports an error rate of 0, not no data, for series without any 5xx", async () => {
    // Narrowed to the 200s, the 5xx counter matches nothing, as for a service that never failed.
    const healthy = new PrometheusProvider({ baseUrl: prometheus.baseUrl, queries: resolveQueries(`${SELECTOR}, status="200"`) });
    const values = await healthy.queryInstant(["ERROR_RATE", "AVAILABILITY"]);
    expect(values).toEqual({ ERROR_RATE: 0, AVAILABILITY: 100 });
  });

  it("coarsens the step of a long range to what Prometheus accepts", async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 11_000 * 60 * 1000);
    const naive = await fetch(
      `${prometheus.baseUrl}/api/v1/query_range?${new URLSearchParams({ query: "vector(1)", start: String(from.getTime() / 1000), end: String(to.getTime() / 1000), step: "1" })}`,
    );
    expect(naive.status).toBe(400);
    expect(await naive.text()).toMatch(/exceeded maximum resolution of 11,000 points/);

    const constant = new PrometheusProvider({ baseUrl: prometheus.baseUrl, queries: { THROUGHPUT: "vector(1)" } });
    const [s] = await constant.queryRange({ metrics: ["THROUGHPUT"], from, to, stepSeconds: 1 });
    expect(s.points.length).toBeGreaterThan(10_000);
    expect(s.points.length).toBeLessThanOrEqual(11_000);
  });

  it("reports a query Prometheus rejects, naming the metric", async () => {
    const broken = new PrometheusProvider({ baseUrl: prometheus.baseUrl, queries: { LATENCY_P99: "histogram_quantile(0.99, " } });
    const attempt = broken.queryRange({ metrics: ["LATENCY_P99"], from: new Date(Date.now() - 60_000), to: new Date(), stepSeconds: 5 });
    await expect(attempt).rejects.toThrow(MetricsUnavailableError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`^Prometheus at ${prometheus.baseUrl} rejected the query for latency p99: .*parse error`),
    );
  });

  it("refuses to pass off a selector that matches nothing as an empty chart", async () => {
    const elsewhere = new PrometheusProvider({ baseUrl: prometheus.baseUrl, queries: resolveQueries('service="no-such-service"') });
    const attempt = elsewhere.queryRange({ metrics: ["THROUGHPUT"], from: new Date(Date.now() - 60_000), to: new Date(), stepSeconds: 5 });
    await expect(attempt).rejects.toThrow(/has no data for throughput .*matched no series/);
  });

  it("reports a Prometheus that is not there as not answering", async () => {
    const closed = await freePort();
    const absent = new PrometheusProvider({ baseUrl: `http://${HOST}:${closed}`, timeoutMs: 1000 });
    const attempt = absent.queryRange({ metrics: ["ERROR_RATE"], from: new Date(Date.now() - 60_000), to: new Date(), stepSeconds: 5 });
    await expect(attempt).rejects.toThrow(MetricsUnavailableError);
    await expect(attempt).rejects.toThrow(`Prometheus at http://${HOST}:${closed} did not answer: connection refused (ECONNREFUSED)`);
  });

  it("gives up on a server that accepts but never answers, within the timeout", async () => {
    const received: http.IncomingHttpHeaders[] = [];
    hanging = http.createServer((req) => received.push(req.headers));
    const port = await listen(hanging);
    const silent = new PrometheusProvider({ baseUrl: `http://${HOST}:${port}`, timeoutMs: 1000 });

    const started = Date.now();
    const error = await silent.queryInstant(["ERROR_RATE", "THROUGHPUT"]).catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(MetricsUnavailableError);
    expect((error as Error).message).toBe(`Prometheus at http://${HOST}:${port} did not answer within 1 s`);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1500);
    expect(received).toHaveLength(2);
    expect(received[0]["accept-encoding"]).toBe("identity");
  });
});
