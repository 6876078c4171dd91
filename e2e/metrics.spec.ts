// The incident page's Evidence section against both metrics providers: the built-in store fed
// through the real ingestion endpoint, and a real Prometheus scraping a real exporter
// (lib/testing/prometheus-harness.ts). Each test creates its own service, release and incident.
import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import { exporterHistory, freePort, type PrometheusHarness, startPrometheusHarness } from "@/lib/testing/prometheus-harness";
import { seed, signIn, sql, USERS } from "./support";

// Pushing an hour of samples and waiting for evidence refreshes takes longer than the default on a busy 2-core machine.
test.setTimeout(150_000);

const RUN = `${Date.now().toString(36)}-${randomUUID().slice(0, 4)}`;
const MINUTE = 60_000;
const LABELS = ["Error rate", "Latency p50", "Latency p95", "Latency p99", "Throughput", "Availability"] as const;

// ---------------------------------------------------------------------------------------------
// Test data, straight into the database the app reads

/**
 * A service of its own (metrics settings saved by an admin), a release deployed at `deployedAt`,
 * an incident about it declared by a responder, and an ingestion token for the built-in store.
 */
function serviceWithIncident(
  name: string,
  title: string,
  deployedAt: Date,
  metrics: { provider: "BUILTIN" | "PROMETHEUS"; prometheusUrl?: string; prometheusSelector?: string } = { provider: "BUILTIN" },
) {
  const made = seed("incident", {
    title,
    deployedAt: deployedAt.toISOString(),
    detectedAt: new Date(deployedAt.getTime() + 2 * MINUTE).toISOString(),
    service: {
      name,
      metrics,
      token: metrics.provider === "BUILTIN",
      release: { version: "v2.0.0", previousVersion: "v1.9.0", deployedAt: deployedAt.toISOString() },
    },
  });
  return { serviceId: made.service.id, number: made.incident.number, token: made.token ?? "" };
}

// ---------------------------------------------------------------------------------------------
// Samples

type Profile = { error_rate: number; latency_p50: number; latency_p95: number; latency_p99: number; throughput: number };
type Sample = { metric: string; ts: number; value: number };

const HEALTHY: Profile = { error_rate: 0.005, latency_p50: 20, latency_p95: 40, latency_p99: 50, throughput: 300 };
const BROKEN: Profile = { error_rate: 0.15, latency_p50: 60, latency_p95: 600, latency_p99: 1200, throughput: 300 };

/** Deterministic noise in [-1, 1) (mulberry32), so a run's numbers can be reproduced. */
function noise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** One sample of every metric each 15 s from `from` to `to` (epoch ms), within ±10% (±3% for throughput) of the profile. */
function samples(profile: Profile, from: number, to: number, seed: number): Sample[] {
  const rnd = noise(seed);
  const out: Sample[] = [];
  for (let ts = from; ts <= to; ts += 15_000) {
    const errorRate = profile.error_rate * (1 + 0.1 * rnd());
    out.push(
      { metric: "error_rate", ts, value: errorRate },
      { metric: "latency_p50", ts, value: profile.latency_p50 * (1 + 0.1 * rnd()) },
      { metric: "latency_p95", ts, value: profile.latency_p95 * (1 + 0.1 * rnd()) },
      { metric: "latency_p99", ts, value: profile.latency_p99 * (1 + 0.1 * rnd()) },
      { metric: "throughput", ts, value: profile.throughput * (1 + 0.03 * rnd()) },
      { metric: "availability", ts, value: 100 * (1 - errorRate) },
    );
  }
  return out;
}

async function push(request: APIRequestContext, token: string, batch: Sample[]) {
  const res = await request.post("/api/v1/metrics", { headers: { authorization: `Bearer ${token}` }, data: { samples: batch } });
  expect(res.status(), await res.text()).toBe(202);
  expect(await res.json()).toEqual({ accepted: batch.length });
}

// ---------------------------------------------------------------------------------------------
// The page

const evidenceOf = (page: Page) => page.getByRole("region", { name: "Evidence" });

/**
 * The row of `label` in "Metrics against baseline": cells are Baseline, Current, Change, Verdict. The verdict
 * cell also holds the reason in words and the baselines used: `verdict` is the verdict's own label in it.
 */
function metricRow(evidence: Locator, label: string) {
  const row = evidence
    .getByRole("table", { name: "Metrics against baseline" })
    .getByRole("row")
    .filter({ has: evidence.page().getByRole("rowheader", { name: label, exact: true }) });
  const cells = row.getByRole("cell");
  const verdictCell = cells.nth(3);
  const verdict = verdictCell.getByText(/^(Worse|Better|No significant change|No data)$/);
  return {
    row,
    baseline: cells.nth(0),
    current: cells.nth(1),
    change: cells.nth(2),
    verdict,
    reason: verdictCell.getByTestId("verdict-reason"),
  };
}

/** The percentage a cell shows, e.g. 15.2 for "15.2%". */
async function percentIn(cell: Locator): Promise<number> {
  await expect(cell).toHaveText(/^\d+(\.\d+)?%$/);
  return Number((await cell.textContent())?.replace("%", ""));
}

async function openIncident(page: Page, number: number) {
  await signIn(page, USERS.viewer.email);
  await page.goto(`/incidents/${number}`);
  // A stakeholder's page has the evidence folded (the reader's layout): open it as they would.
  await page.getByText("Evidence: the metrics against the baseline").click();
  const evidence = evidenceOf(page);
  await expect(evidence).toBeVisible();
  return evidence;
}

// ---------------------------------------------------------------------------------------------

test("built-in store: pushed samples become verdicts and charts that follow new samples without a reload", async ({ page, request }) => {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const deployedAt = now - 30 * MINUTE;
  const { serviceId, number, token } = serviceWithIncident("e2e-builtin", `Built-in metrics e2e ${RUN}`, new Date(deployedAt));

  // Healthy for the hour before the deploy; broken for the last 5 minutes.
  const baseline = samples(HEALTHY, deployedAt - 60 * MINUTE + 15_000, deployedAt - 15_000, 1);
  await push(request, token, baseline);
  const recent = { from: now - 5 * MINUTE + 15_000, to: now };
  const broken = samples(BROKEN, recent.from, recent.to, 2);
  await push(request, token, broken);

  const evidence = await openIncident(page, number);
  await expect(evidence.getByText("From the built-in metrics store")).toBeVisible();
  for (const label of LABELS) await expect(metricRow(evidence, label).row).toHaveCount(1);
  const errorRate = metricRow(evidence, "Error rate");
  await expect(errorRate.verdict).toHaveText("Worse");
  // Two decimals (lib/metrics/format.ts): the noisy baseline reads 0.5% give or take a hundredth.
  expect(await percentIn(errorRate.baseline)).toBeCloseTo(0.5, 1);
  const brokenRate = await percentIn(errorRate.current);
  expect(brokenRate).toBeGreaterThan(13);
  expect(brokenRate).toBeLessThan(17);
  await expect(metricRow(evidence, "Latency p99").verdict).toHaveText("Worse");
  await expect(metricRow(evidence, "Throughput").verdict).toHaveText("No significant change");
  await expect(metricRow(evidence, "Availability").verdict).toHaveText("Worse");

  // Six charts, each with a drawn line and a table for screen readers.
  await expect(evidence.getByRole("figure")).toHaveCount(LABELS.length);
  for (const label of LABELS) {
    const figure = evidence.getByRole("figure", { name: label, exact: true });
    await expect(figure).toBeVisible();
    await expect(figure.locator("figcaption")).toContainText(label);
    // The static drawing until the person reaches for the chart (components/charts/metric-chart.tsx).
    await expect(figure.locator('[data-chart="static"] svg path.chart-series')).toHaveAttribute("d", /^M[\d.]+,[\d.]+L/);
    const table = figure.getByRole("table", { name: new RegExp(`^${label}: baseline .*, current .*`) });
    await expect(table).toBeAttached();
    await expect(table.getByRole("columnheader", { name: label })).toBeAttached();
    await expect(table.getByRole("row").nth(10)).toBeAttached();
  }
  await expect(evidence.getByRole("figure", { name: "Error rate", exact: true }).getByRole("table")).toHaveAccessibleName(
    /^Error rate: baseline 0\.(49|5|51)%, current 1\d(\.\d{1,2})?%, Worse$/,
  );

  // Pointing at a chart brings recharts in, drawn over the static chart until it has drawn, then
  // alone: its tooltip reads the point under the pointer. The other charts stay static.
  const errorChart = evidence.getByRole("figure", { name: "Error rate", exact: true });
  const plot = errorChart.locator('[data-chart="static"]');
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  if (!box) throw new Error("the error-rate chart has no box");
  // The mouse itself, not a hover on the static drawing: that drawing is covered, then gone.
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await expect(errorChart.locator("svg path.recharts-line-curve")).toHaveAttribute("d", /^M[\d.]+,[\d.]+L/);
  await expect(plot).toHaveCount(0);
  await page.mouse.move(box.x + box.width * 0.85, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await expect(errorChart.locator(".recharts-tooltip-wrapper")).toContainText(/Error rate : \d+(\.\d+)?%/);
  const latencyLine = evidence
    .getByRole("figure", { name: "Latency p99", exact: true })
    .locator('[data-chart="static"] svg path.chart-series');
  const brokenLatencyLine = await latencyLine.getAttribute("d");

  // The range picker: 90 minutes of history start on 6 h; 24 h is asked for on the next poll.
  const ranges = evidence.getByRole("group", { name: "Chart range" });
  await expect(ranges.getByRole("button", { name: "6 h", pressed: true })).toBeVisible();
  const polled = page.waitForResponse((r) => r.url().includes(`/api/incidents/${number}/evidence?`) && r.url().includes("range=24h"));
  await ranges.getByRole("button", { name: "24 h" }).click();
  await expect(ranges.getByRole("button", { name: "24 h", pressed: true })).toBeVisible();
  await expect(ranges.getByRole("button", { name: "6 h", pressed: false })).toBeVisible();
  const payload = (await (await polled).json()) as { range: string; from: number; to: number; metrics: unknown[] };
  expect(payload.range).toBe("24h");
  expect(payload.to - payload.from).toBe(24 * 60 * MINUTE);
  expect(payload.metrics).toHaveLength(LABELS.length);

  // The service recovers: the last 5 minutes re-sent healthy replace the broken samples, and the
  // page, polling every 5 s, follows without being reloaded.
  await page.evaluate(() => {
    (window as unknown as { e2eMarker: string }).e2eMarker = "same page";
  });
  await push(request, token, samples(HEALTHY, recent.from, recent.to, 3));
  await expect(errorRate.verdict).toHaveText("No significant change", { timeout: 15_000 });
  const healthyRate = await percentIn(errorRate.current);
  expect(healthyRate).toBeGreaterThan(0.3);
  expect(healthyRate).toBeLessThan(0.7);
  await expect(metricRow(evidence, "Latency p99").verdict).not.toHaveText("Worse");
  // A chart nobody pointed at is still the static drawing, redrawn from the new evidence.
  expect(await latencyLine.getAttribute("d")).not.toBe(brokenLatencyLine);
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe("same page");
  await expect(ranges.getByRole("button", { name: "24 h", pressed: true })).toBeVisible();
  // Replaced, not added to.
  expect(await sql('SELECT count(*)::int AS n FROM "MetricSample" WHERE "serviceId" = $1', [serviceId])).toEqual([
    { n: baseline.length + broken.length },
  ]);
});

test.describe("Prometheus", () => {
  const service = `e2e-prom-${RUN}`;
  const job = `e2e-${RUN}`;
  let harness: PrometheusHarness;
  let deployedAt: number;

  test.beforeAll(async () => {
    test.setTimeout(60_000);
    // Prometheus has watched the service for 75 minutes: healthy until a deploy 10 minutes ago,
    // 20% failing since, as the exporter keeps failing live. The history carries no job label,
    // so a selector naming the job sees only what Prometheus scraped itself.
    const now = Date.now();
    deployedAt = now - 10 * MINUTE;
    const history = exporterHistory({
      service,
      from: now - 75 * MINUTE,
      phases: [
        { until: deployedAt, requestsPerSecond: 50, failRatio: 0.005, slowRatio: 0 },
        { until: now - 1000, requestsPerSecond: 50, failRatio: 0.2, slowRatio: 0.1 },
      ],
    });
    // 20 requests/s, every 5th failing: light on a 2-core CI runner that also runs the browser and the app.
    harness = await startPrometheusHarness({
      service,
      job,
      traffic: { intervalMs: 50 },
      backfill: { openMetrics: history },
      timeoutMs: 30_000,
    });
  });

  test.afterAll(async () => {
    await harness?.stop();
  });

  test("the evidence comes from Prometheus: 20% failing after a healthy baseline is worse", async ({ page }) => {
    const { number } = serviceWithIncident(service, `Prometheus metrics e2e ${RUN}`, new Date(deployedAt), {
      provider: "PROMETHEUS",
      prometheusUrl: harness.baseUrl,
      prometheusSelector: harness.selector,
    });

    const evidence = await openIncident(page, number);
    expect(harness.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(evidence.getByText(`From Prometheus at ${harness.baseUrl}`)).toBeVisible();
    const errorRate = metricRow(evidence, "Error rate");
    const current = await percentIn(errorRate.current);
    expect(current).toBeGreaterThan(15);
    expect(current).toBeLessThan(25);
    expect(await percentIn(errorRate.baseline)).toBeCloseTo(0.5, 1);
    await expect(errorRate.verdict).toHaveText("Worse");
    await expect(metricRow(evidence, "Latency p99").verdict).toHaveText("Worse");
    await expect(evidence.getByRole("figure")).toHaveCount(LABELS.length);
    await expect(evidence.getByRole("figure", { name: "Error rate", exact: true }).locator("svg path.chart-series")).toHaveAttribute(
      "d",
      /^M/,
    );
    await expect(page.getByRole("alert").filter({ hasText: "Metrics unavailable" })).toHaveCount(0);
    expect(harness.exporter.failedFraction).toBeGreaterThan(0.15);
    expect(harness.exporter.failedFraction).toBeLessThan(0.25);
  });

  test("a deploy before Prometheus had any data for the service still shows the current values", async ({ page }) => {
    // An empty baseline window is "No data" for that window, not a failure of the whole evidence.
    // Only the live-scraped series carry the job label: for this selector Prometheus has seen the
    // service for a few seconds, and nothing of the hour before the deploy 2 minutes ago.
    const { number } = serviceWithIncident(`${service}-new`, `Prometheus without history e2e ${RUN}`, new Date(Date.now() - 2 * MINUTE), {
      provider: "PROMETHEUS",
      prometheusUrl: harness.baseUrl,
      prometheusSelector: `${harness.selector}, job="${job}"`,
    });

    const firstPoll = page.waitForResponse((r) => r.url().includes(`/api/incidents/${number}/evidence?`));
    const evidence = await openIncident(page, number);
    await expect(evidence.getByText(`From Prometheus at ${harness.baseUrl}`)).toBeVisible();
    const payload = (await (await firstPoll).json()) as { error: string | null };
    expect(payload.error, "a baseline window without data is no reason to hide the current values").toBeNull();
    const errorRate = metricRow(evidence, "Error rate");
    expect(await percentIn(errorRate.current)).toBeGreaterThan(10);
    await expect(errorRate.verdict).toHaveText("No data");
  });

  test("a Prometheus that does not answer is reported, not shown as endless loading", async ({ page }) => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { number } = serviceWithIncident("e2e-prom-down", `Prometheus down e2e ${RUN}`, new Date(Date.now() - 2 * MINUTE), {
      provider: "PROMETHEUS",
      prometheusUrl: closed,
      prometheusSelector: 'service="nowhere"',
    });

    const evidence = await openIncident(page, number);
    const banner = evidence.getByRole("alert").filter({ hasText: "Metrics unavailable:" });
    await expect(banner).toContainText(`Prometheus at ${closed} did not answer`);
    await expect(evidence.getByText(`From Prometheus at ${closed}`)).toBeVisible();
    await expect(evidence.getByText("Loading metrics…")).toHaveCount(0);
    await expect(evidence.getByRole("figure")).toHaveCount(0);
    await expect(metricRow(evidence, "Error rate").row).toHaveCount(0);
  });
});
