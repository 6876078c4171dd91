// PrometheusProvider against a real Prometheus (the Debian package's binary) scraping a real
// exporter: a small HTTP service that counts the requests this test sends it, some failing with
// 500 and some slow, and exposes the counts in Prometheus' text format (lib/testing/prometheus-harness.ts).
// Everything listens on 127.0.0.1 and is stopped in afterAll.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, freePort, HOST, listen, type PrometheusHarness, startPrometheusHarness } from "@/lib/testing/prometheus-harness";
import { PrometheusProvider, resolveQueries } from "./prometheus";
import { METRIC_KINDS, type MetricKind, MetricsUnavailableError, type Series } from "./types";

const SERVICE = "checkout-service";
const SELECTOR = `service="${SERVICE}"`;

// Traffic: one request every 20 ms; every 5th answered 500, every 10th (others) delayed 300 ms.
const TRAFFIC_INTERVAL_MS = 20;
const SLOW_MS = 300;
const failsAt = (i: number) => i % 5 === 0;
const slowAt = (i: number) => i % 10 === 3;
const SCRAPES_WANTED = 6;

let harness: PrometheusHarness;
let provider: PrometheusProvider;
let hanging: http.Server | undefined;

beforeAll(async () => {
  harness = await startPrometheusHarness({
    service: SERVICE,
    job: "checkout",
    traffic: { intervalMs: TRAFFIC_INTERVAL_MS, failsAt, slowAt, slowMs: SLOW_MS },
    scrapesWanted: SCRAPES_WANTED,
  });
  expect(harness.selector).toBe(SELECTOR);
  provider = new PrometheusProvider({ baseUrl: harness.baseUrl, queries: resolveQueries(SELECTOR) });
});

afterAll(async () => {
  await harness?.stop();
  await closeServer(hanging);
});

const byMetric = (series: Series[]) => Object.fromEntries(series.map((s) => [s.metric, s])) as Record<MetricKind, Series>;
const last = (s: Series) => s.points[s.points.length - 1].v;

describe("PrometheusProvider against a real Prometheus", () => {
  it("returns all six metrics in Backout's units over a range", async () => {
    const to = new Date();
    const series = await provider.queryRange({ metrics: METRIC_KINDS, from: new Date(harness.traffic.startedAt), to, stepSeconds: 1 });
    const failedFraction = (harness.exporter.requests.get("500") ?? 0) / harness.exporter.total;

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
    expect(last(m.THROUGHPUT)).toBeLessThan(harness.exporter.handledPerSecond(to.getTime(), 10_000) * 1.3);

    const errorRateAt = new Map(m.ERROR_RATE.points.map((p) => [p.t, p.v]));
    expect(m.AVAILABILITY.points.length).toBe(m.ERROR_RATE.points.length);
    for (const p of m.AVAILABILITY.points) expect(p.v).toBeCloseTo(100 * (1 - (errorRateAt.get(p.t) ?? Number.NaN)), 6);
  });

  it("measures throughput in requests per second", async () => {
    const shortWindow = new PrometheusProvider({
      baseUrl: harness.baseUrl,
      queries: { THROUGHPUT: `sum(rate(http_requests_total{${SELECTOR}}[5s]))` },
    });
    const at = new Date();
    const { THROUGHPUT } = await shortWindow.queryInstant(["THROUGHPUT"], at);
    const handled = harness.exporter.handledPerSecond(at.getTime(), 5000);
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
    const healthy = new PrometheusProvider({ baseUrl: harness.baseUrl, queries: resolveQueries(`${SELECTOR}, status="200"`) });
    const values = await healthy.queryInstant(["ERROR_RATE", "AVAILABILITY"]);
    expect(values).toEqual({ ERROR_RATE: 0, AVAILABILITY: 100 });
  });

  it("coarsens the step of a long range to what Prometheus accepts", async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 11_000 * 60 * 1000);
    const naive = await fetch(
      `${harness.baseUrl}/api/v1/query_range?${new URLSearchParams({ query: "vector(1)", start: String(from.getTime() / 1000), end: String(to.getTime() / 1000), step: "1" })}`,
    );
    expect(naive.status).toBe(400);
    expect(await naive.text()).toMatch(/exceeded maximum resolution of 11,000 points/);

    const constant = new PrometheusProvider({ baseUrl: harness.baseUrl, queries: { THROUGHPUT: "vector(1)" } });
    const [s] = await constant.queryRange({ metrics: ["THROUGHPUT"], from, to, stepSeconds: 1 });
    expect(s.points.length).toBeGreaterThan(10_000);
    expect(s.points.length).toBeLessThanOrEqual(11_000);
  });

  it("reports a query Prometheus rejects, naming the metric", async () => {
    const broken = new PrometheusProvider({ baseUrl: harness.baseUrl, queries: { LATENCY_P99: "histogram_quantile(0.99, " } });
    const attempt = broken.queryRange({ metrics: ["LATENCY_P99"], from: new Date(Date.now() - 60_000), to: new Date(), stepSeconds: 5 });
    await expect(attempt).rejects.toThrow(MetricsUnavailableError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`^Prometheus at ${harness.baseUrl} rejected the query for latency p99: .*parse error`),
    );
  });

  it("refuses to pass off a selector that matches nothing as an empty chart", async () => {
    const elsewhere = new PrometheusProvider({ baseUrl: harness.baseUrl, queries: resolveQueries('service="no-such-service"') });
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
