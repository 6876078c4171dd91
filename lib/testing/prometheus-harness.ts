// A real Prometheus (the Debian package's binary) scraping a real exporter, for integration and
// e2e tests: a small HTTP service that counts the requests the harness sends it, some failing
// with 500 and some slow, and exposes the counts in Prometheus' text format. Everything listens
// on 127.0.0.1; stop() ends the traffic, Prometheus and the exporter and removes the temp dir.
// No test-runner imports: vitest and Playwright both use it.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

export const HOST = "127.0.0.1";

/** The prometheus binary (PROMETHEUS_BIN or /usr/bin/prometheus); throws with the install hint when it is missing. */
export function prometheusBinary(): string {
  const bin = process.env.PROMETHEUS_BIN || "/usr/bin/prometheus";
  if (!existsSync(bin)) {
    throw new Error(
      `The prometheus binary is missing (looked for ${bin}). Install it with: apt-get update && apt-get install -y prometheus`,
    );
  }
  return bin;
}

/** promtool (PROMTOOL_BIN, or next to the prometheus binary: the Debian package ships both); throws with the install hint when it is missing. */
export function promtoolBinary(): string {
  const promtool = process.env.PROMTOOL_BIN || path.join(path.dirname(prometheusBinary()), "promtool");
  if (!existsSync(promtool)) {
    throw new Error(`promtool is missing (looked for ${promtool}); it comes with Prometheus: apt-get install -y prometheus`);
  }
  return promtool;
}

/** A port nothing listens on right now (closed again before returning). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Listens on a free port of 127.0.0.1 and returns it. */
export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, HOST, resolve));
  return (server.address() as net.AddressInfo).port;
}

export async function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

// ---------------------------------------------------------------------------------------------
// The exporter: a service that measures itself.

export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Answers any path but /metrics with 200, or 500 with `?fail=1`, after `?delayMs=`; counts what it
 * answered in http_requests_total{service,status} and http_request_duration_seconds{service}.
 */
export class ExporterService {
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

  /** `service` is the value of the `service` label on every series. */
  constructor(readonly service: string) {}

  /** The label selector matching this exporter's series, e.g. service="checkout-service". */
  get selector(): string {
    return `service="${this.service}"`;
  }

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

  /** The fraction of answered requests that were 500s. */
  get failedFraction(): number {
    return this.total === 0 ? 0 : (this.requests.get("500") ?? 0) / this.total;
  }

  private exposition(): string {
    const sel = this.selector;
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

// ---------------------------------------------------------------------------------------------
// Traffic

export type TrafficPattern = {
  /** One request every this many ms (default 20). */
  intervalMs?: number;
  /** Whether the i-th request (0-based) is answered 500 (default: every 5th, i.e. 20%). */
  failsAt?: (i: number) => boolean;
  /** Whether the i-th request is delayed by slowMs (default: every 10th, those at i % 10 === 3). */
  slowAt?: (i: number) => boolean;
  /** Delay of a slow request (default 300 ms). */
  slowMs?: number;
};

export const DEFAULT_TRAFFIC: Required<TrafficPattern> = {
  intervalMs: 20,
  failsAt: (i) => i % 5 === 0,
  slowAt: (i) => i % 10 === 3,
  slowMs: 300,
};

/** Real HTTP requests to the exporter, until stopped. */
export class Traffic {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pattern: Required<TrafficPattern>;
  private sent = 0;
  startedAt = 0;

  constructor(pattern: TrafficPattern = {}) {
    this.pattern = { ...DEFAULT_TRAFFIC, ...pattern };
  }

  start(port: number) {
    const { intervalMs, failsAt, slowAt, slowMs } = this.pattern;
    this.startedAt = Date.now();
    this.timer = setInterval(() => {
      const i = this.sent++;
      const params = new URLSearchParams({ fail: failsAt(i) ? "1" : "0", delayMs: slowAt(i) ? String(slowMs) : "0" });
      const request = fetch(`http://${HOST}:${port}/checkout?${params}`)
        .then((r) => r.arrayBuffer())
        .catch(() => {})
        .finally(() => this.inFlight.delete(request));
      this.inFlight.add(request);
    }, intervalMs);
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight);
  }
}

// ---------------------------------------------------------------------------------------------
// Prometheus

/** Series to load into Prometheus' storage before it starts, as `promtool tsdb create-blocks-from openmetrics` reads them. */
export type Backfill = {
  /** OpenMetrics text: `# TYPE` lines and samples with timestamps in seconds, ending with `# EOF`. */
  openMetrics: string;
};

/** A stretch of the exporter's past traffic: `requestsPerSecond`, of which `failRatio` answered 500 and `slowRatio` took slowSeconds. */
export type HistoryPhase = { until: number; requestsPerSecond: number; failRatio: number; slowRatio: number; slowSeconds?: number };

/**
 * The series an ExporterService for `service` would have exposed from `from` through the phases
 * (epoch ms; each phase lasts until its `until`), sampled every `stepMs`, as OpenMetrics for
 * Prometheus.start's backfill. Fast requests take under 5 ms. Extra labels (e.g. job, instance)
 * are added to every series.
 */
export function exporterHistory(options: {
  service: string;
  from: number;
  phases: HistoryPhase[];
  stepMs?: number;
  labels?: Record<string, string>;
}): string {
  const stepMs = options.stepMs ?? 15_000;
  const extra = Object.entries(options.labels ?? {}).map(([k, v]) => `,${k}=${JSON.stringify(v)}`);
  const sel = `service=${JSON.stringify(options.service)}${extra.join("")}`;
  const ok: string[] = [];
  const failed: string[] = [];
  // One histogram point (its buckets, count and sum) per timestamp, as OpenMetrics groups them.
  const histogram: string[] = [];
  const totals = { ok: 0, failed: 0, sum: 0, buckets: BUCKETS.map(() => 0), count: 0 };
  const last = options.phases.at(-1)?.until ?? options.from;
  for (let t = options.from; t <= last; t += stepMs) {
    const phase = options.phases.find((p) => t <= p.until) ?? options.phases[options.phases.length - 1];
    const n = (phase.requestsPerSecond * stepMs) / 1000;
    const slowSeconds = phase.slowSeconds ?? 0.3;
    totals.failed += n * phase.failRatio;
    totals.ok += n * (1 - phase.failRatio);
    totals.buckets[0] += n * (1 - phase.slowRatio);
    totals.buckets[
      Math.max(
        0,
        BUCKETS.findIndex((le) => slowSeconds <= le),
      )
    ] += n * phase.slowRatio;
    totals.sum += n * (1 - phase.slowRatio) * 0.002 + n * phase.slowRatio * slowSeconds;
    totals.count += n;
    const ts = (t / 1000).toFixed(3);
    ok.push(`http_requests_total{${sel},status="200"} ${totals.ok} ${ts}`);
    failed.push(`http_requests_total{${sel},status="500"} ${totals.failed} ${ts}`);
    let cumulative = 0;
    BUCKETS.forEach((le, i) => {
      cumulative += totals.buckets[i];
      histogram.push(`http_request_duration_seconds_bucket{${sel},le="${le}"} ${cumulative} ${ts}`);
    });
    histogram.push(
      `http_request_duration_seconds_bucket{${sel},le="+Inf"} ${totals.count} ${ts}`,
      `http_request_duration_seconds_count{${sel}} ${totals.count} ${ts}`,
      `http_request_duration_seconds_sum{${sel}} ${totals.sum} ${ts}`,
    );
  }
  return [
    "# HELP http_requests Requests handled.",
    "# TYPE http_requests counter",
    ...ok,
    ...failed,
    "# HELP http_request_duration_seconds Time to answer a request.",
    "# TYPE http_request_duration_seconds histogram",
    ...histogram,
    "# EOF",
    "",
  ].join("\n");
}

export class PrometheusServer {
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];
  private exited: Promise<void> | undefined;
  readonly killOnExit = () => this.child?.kill("SIGKILL");
  baseUrl = "";
  dir = "";

  /** Starts Prometheus scraping 127.0.0.1:targetPort every second as job `job`; resolves once /-/ready answers. */
  async start(targetPort: number, options: { job?: string; backfill?: Backfill; readyTimeoutMs?: number } = {}) {
    const bin = prometheusBinary();
    const job = options.job ?? "checkout";
    this.dir = await mkdtemp(path.join(os.tmpdir(), "backout-prometheus-"));
    const config = path.join(this.dir, "prometheus.yml");
    const data = path.join(this.dir, "data");
    await writeFile(
      config,
      [
        "global:",
        "  scrape_interval: 1s",
        "  scrape_timeout: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        `  - job_name: ${JSON.stringify(job)}`,
        "    static_configs:",
        `      - targets: ["${HOST}:${targetPort}"]`,
        "",
      ].join("\n"),
    );
    if (options.backfill) await this.backfill(options.backfill, data);

    const port = await freePort();
    this.baseUrl = `http://${HOST}:${port}`;
    const child = spawn(bin, [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=${HOST}:${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    // If the test process dies without stop(), Prometheus must not outlive it.
    process.once("exit", this.killOnExit);
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split("\n").filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 30));
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));

    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    const deadline = Date.now() + timeoutMs;
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
    throw new Error(`Prometheus was not ready within ${timeoutMs / 1000} s:\n${this.log()}`);
  }

  /** Writes TSDB blocks with promtool (next to the prometheus binary), which Prometheus loads at start. */
  private async backfill(backfill: Backfill, dataDir: string) {
    const promtool = promtoolBinary();
    const input = path.join(this.dir, "backfill.om");
    await writeFile(input, backfill.openMetrics.endsWith("# EOF\n") ? backfill.openMetrics : `${backfill.openMetrics}# EOF\n`);
    try {
      await promisify(execFile)(promtool, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, dataDir]);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`promtool could not backfill: ${err.stderr || err.message}`);
    }
  }

  /** The value of an instant query, or undefined when it has none yet. */
  async instant(query: string): Promise<number | undefined> {
    const r = await fetch(`${this.baseUrl}/api/v1/query?${new URLSearchParams({ query })}`);
    const body = (await r.json()) as { data?: { result?: { value: [number, string] }[] } };
    const value = body.data?.result?.[0]?.value[1];
    return value === undefined ? undefined : Number(value);
  }

  /** Waits until Prometheus has scraped job `job` at least `wanted` times within the last minute. */
  async waitForScrapes(job: string, wanted: number, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const scrapes = await this.instant(`count_over_time(up{job=${JSON.stringify(job)}}[1m])`);
      if (scrapes !== undefined && scrapes >= wanted) return;
      if (Date.now() > deadline)
        throw new Error(`Prometheus scraped the exporter only ${scrapes ?? 0} times in ${timeoutMs / 1000} s:\n${this.log()}`);
      await sleep(250);
    }
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
// Everything together

export type PrometheusHarness = {
  exporter: ExporterService;
  traffic: Traffic;
  prometheus: PrometheusServer;
  /** Prometheus' address, e.g. http://127.0.0.1:41234. */
  baseUrl: string;
  /** The exporter's label selector, e.g. service="checkout-service". */
  selector: string;
  job: string;
  stop(): Promise<void>;
};

export type HarnessOptions = {
  /** The `service` label of the exporter's series. */
  service: string;
  /** Prometheus' job name for the exporter (default "checkout"). */
  job?: string;
  traffic?: TrafficPattern;
  /** Scrapes to wait for before resolving: rate() over [1m] needs two, a few more make values settle (default 6). */
  scrapesWanted?: number;
  backfill?: Backfill;
  timeoutMs?: number;
};

/**
 * Starts the exporter, traffic to it and Prometheus scraping it every second, and resolves once
 * Prometheus has scraped it `scrapesWanted` times. On failure, stops whatever it had started.
 */
export async function startPrometheusHarness(options: HarnessOptions): Promise<PrometheusHarness> {
  prometheusBinary();
  const job = options.job ?? "checkout";
  const exporter = new ExporterService(options.service);
  const traffic = new Traffic(options.traffic);
  const prometheus = new PrometheusServer();
  const stop = async () => {
    await traffic.stop();
    await prometheus.stop();
    await closeServer(exporter.server);
  };
  try {
    const port = await listen(exporter.server);
    traffic.start(port);
    await prometheus.start(port, { job, backfill: options.backfill, readyTimeoutMs: options.timeoutMs });
    await prometheus.waitForScrapes(job, options.scrapesWanted ?? 6, options.timeoutMs);
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  return { exporter, traffic, prometheus, baseUrl: prometheus.baseUrl, selector: exporter.selector, job, stop };
}
