// Reads Backout's six metrics from Prometheus (or anything speaking its HTTP API: Thanos, Mimir,
// VictoriaMetrics) through /api/v1/query_range and /api/v1/query.
//
// Units: every query must already yield Backout's unit (ERROR_RATE a fraction 0..1, latencies
// milliseconds, THROUGHPUT req/s, AVAILABILITY percent). The conversion lives in the PromQL, not
// here, so that an admin's custom query states its unit where it can be read and checked; the
// defaults multiply Prometheus' seconds by 1000 for that reason.
//
// One series per metric: the queries are expected to aggregate to a single series. If one returns
// several, the first is used and the series carries a note saying so, rather than summing values
// whose meaning (a ratio? a quantile?) this code cannot know.
import { InvalidInputError } from "@/lib/errors";
import { METRIC_INFO } from "./format";
import {
  METRIC_KINDS,
  type MetricKind,
  MetricsNoDataError,
  type MetricsProvider,
  MetricsUnavailableError,
  type Point,
  type RangeQuery,
  type Series,
} from "./types";

/** Prometheus refuses range queries whose range/step exceeds this. */
export const MAX_POINTS_PER_SERIES = 11_000;

export const DEFAULT_TIMEOUT_MS = 5000;

/** A series with what the reader should know about it (several series matched, values left out, Prometheus warnings). */
export type PrometheusSeries = Series & { notes?: string[] };

export type PrometheusProviderOptions = {
  /** e.g. http://127.0.0.1:9090, or a path prefix such as http://gateway/prometheus. */
  baseUrl: string;
  /** PromQL per metric; metrics left out use the defaults without a selector (see resolveQueries for a service's defaults). */
  queries?: Partial<Record<MetricKind, string>>;
  /** For a whole call, all its concurrent requests included. */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

const toMs = (d: Date | number) => (typeof d === "number" ? d : d.getTime());

/**
 * The step (whole seconds) of a range query: at least the one wanted, and coarse enough that
 * Prometheus neither refuses the query nor answers more than 11,000 points a series.
 */
export function chooseStep(from: Date | number, to: Date | number, wantedStepSeconds: number): number {
  const rangeSeconds = (toMs(to) - toMs(from)) / 1000;
  if (Number.isNaN(rangeSeconds)) throw new InvalidInputError("The time range has an invalid date.");
  if (rangeSeconds < 0) throw new InvalidInputError("The end of the time range is before its start.");
  if (!Number.isFinite(rangeSeconds)) throw new InvalidInputError("The time range is not finite.");
  if (!Number.isFinite(wantedStepSeconds) || wantedStepSeconds <= 0)
    throw new InvalidInputError("The step must be a positive number of seconds.");
  // Prometheus accepts range/step == 11,000 but then answers 11,001 points; the smallest whole
  // step strictly above range/11,000 keeps the answer itself within the limit.
  const coarsest = Math.floor(rangeSeconds / MAX_POINTS_PER_SERIES) + 1;
  return Math.max(Math.ceil(wantedStepSeconds), coarsest);
}

// ---------------------------------------------------------------------------------------------
// Default PromQL

const RATE_WINDOW = "1m";

function braces(selector: string, ...more: string[]): string {
  const matchers = [selector, ...more].filter((m) => m !== "");
  return matchers.length === 0 ? "" : `{${matchers.join(", ")}}`;
}

const requestRate = (sel: string) => `sum(rate(http_requests_total${braces(sel)}[${RATE_WINDOW}]))`;
// `or vector(0)`: a service that has never failed has no 5xx series at all, and without it the
// ratio would be empty (reported as "no data") instead of 0.
const errorRate = (sel: string) =>
  `(sum(rate(http_requests_total${braces(sel, 'status=~"5.."')}[${RATE_WINDOW}])) or vector(0)) / ${requestRate(sel)}`;
const latency = (quantile: number) => (sel: string) =>
  `histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket${braces(sel)}[${RATE_WINDOW}]))) * 1000`;

/**
 * Default PromQL for the conventional metric names (http_requests_total with a `status` label,
 * http_request_duration_seconds histogram), given a validated selector (see validateSelector).
 */
export const DEFAULT_PROMQL: Readonly<Record<MetricKind, (selector: string) => string>> = {
  ERROR_RATE: errorRate,
  LATENCY_P50: latency(0.5),
  LATENCY_P95: latency(0.95),
  LATENCY_P99: latency(0.99),
  THROUGHPUT: requestRate,
  AVAILABILITY: (sel) => `100 * (1 - (${errorRate(sel)}))`,
};

const LABEL_NAME = String.raw`(?:[a-zA-Z_][a-zA-Z0-9_]*|"(?:[^"\\\n]|\\.)*")`;
const BACKTICK = "`";
const LABEL_VALUE = String.raw`(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|${BACKTICK}[^${BACKTICK}]*${BACKTICK})`;
const MATCHER = String.raw`\s*${LABEL_NAME}\s*(?:=~|!~|!=|=)\s*${LABEL_VALUE}\s*`;
const SELECTOR = new RegExp(String.raw`^(?:${MATCHER}(?:,${MATCHER})*,?)?\s*$`);

/**
 * Checks that a label selector is only label matchers (what goes between `{` and `}`), so that it
 * cannot close the braces and smuggle in PromQL of its own. Returns it trimmed, without a trailing comma.
 */
export function validateSelector(selector: string): string {
  if (/[{}]/.test(selector)) {
    throw new InvalidInputError(
      `The label selector must not contain "{" or "}": write only what goes between the braces, e.g. service="checkout-service".`,
      "selector",
    );
  }
  if (!SELECTOR.test(selector)) {
    throw new InvalidInputError(
      `The label selector ${JSON.stringify(selector)} is not a list of label matchers such as service="checkout-service" or job="checkout", env!="staging".`,
      "selector",
    );
  }
  return selector.trim().replace(/\s*,$/, "");
}

/** The default PromQL of every metric for the series matched by `selector` (e.g. `service="checkout-service"`; "" for all). */
export function defaultQueries(selector: string): Record<MetricKind, string> {
  const sel = validateSelector(selector);
  return Object.fromEntries(METRIC_KINDS.map((k) => [k, DEFAULT_PROMQL[k](sel)])) as Record<MetricKind, string>;
}

/** The defaults for `selector`, replaced by the admin's queries where given (blank ones count as not given). */
export function resolveQueries(selector: string, overrides: Partial<Record<MetricKind, string>> = {}): Record<MetricKind, string> {
  return { ...defaultQueries(selector), ...nonBlank(overrides) };
}

function nonBlank(queries: Partial<Record<MetricKind, string>>): Partial<Record<MetricKind, string>> {
  return Object.fromEntries(
    Object.entries(queries)
      .filter(([k, q]) => (METRIC_KINDS as readonly string[]).includes(k) && typeof q === "string" && q.trim() !== "")
      .map(([k, q]) => [k, (q as string).trim()]),
  );
}

// ---------------------------------------------------------------------------------------------
// The provider

type Answer = { data: Record<string, unknown>; warnings: string[] };

const metricName = (metric: MetricKind) => METRIC_INFO[metric].label.toLowerCase();

export class PrometheusProvider implements MetricsProvider {
  readonly label: string;
  readonly baseUrl: string;
  readonly queries: Readonly<Record<MetricKind, string>>;
  readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: PrometheusProviderOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new InvalidInputError(`The Prometheus address ${JSON.stringify(options.baseUrl)} is not a URL.`, "baseUrl");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new InvalidInputError(`The Prometheus address must start with http:// or https://.`, "baseUrl");
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new InvalidInputError("The Prometheus timeout must be a positive number of milliseconds.");

    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.label = `Prometheus at ${this.baseUrl}`;
    this.queries = { ...defaultQueries(""), ...nonBlank(options.queries ?? {}) };
    this.timeoutMs = timeoutMs;
    // Unbound, the global fetch throws "Illegal invocation" when called as a method.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async queryRange(q: RangeQuery): Promise<PrometheusSeries[]> {
    const step = chooseStep(q.from, q.to, q.stepSeconds);
    if (q.metrics.length === 0) return [];
    const window = { start: seconds(q.from), end: seconds(q.to), step: String(step) };
    return this.withDeadline((signal) =>
      Promise.all(
        q.metrics.map(async (metric): Promise<PrometheusSeries> => {
          const query = this.queries[metric];
          const answer = await this.get("query_range", { query, ...window }, metric, signal);
          return this.parseMatrix(metric, query, answer, q);
        }),
      ),
    );
  }

  /**
   * The value of each metric at `at` (default now): null where the query matched nothing or the
   * value is NaN/±Inf (e.g. an error rate with no traffic). Like queryRange, takes the first series.
   */
  async queryInstant(metrics: readonly MetricKind[], at: Date = new Date()): Promise<Partial<Record<MetricKind, number | null>>> {
    if (Number.isNaN(at.getTime())) throw new InvalidInputError("The time of the query is an invalid date.");
    const values = await this.withDeadline((signal) =>
      Promise.all(
        metrics.map(async (metric) => {
          const answer = await this.get("query", { query: this.queries[metric], time: seconds(at) }, metric, signal);
          return [metric, this.parseInstant(metric, answer)] as const;
        }),
      ),
    );
    return Object.fromEntries(values);
  }

  /**
   * Runs the requests of one call under one deadline. The race, not just the abort signal, is what
   * guarantees the deadline: a fetch that ignores its signal still cannot make the caller wait.
   */
  private async withDeadline<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new MetricsUnavailableError(`${this.label} did not answer within ${formatSeconds(this.timeoutMs)}`);
        reject(error);
        controller.abort(error);
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([work(controller.signal), expired]);
    } finally {
      clearTimeout(timer);
      // Once one request failed the others' answers are useless: free their connections.
      controller.abort();
    }
  }

  private async get(
    endpoint: "query" | "query_range",
    params: Record<string, string>,
    metric: MetricKind,
    signal: AbortSignal,
  ): Promise<Answer> {
    const url = `${this.baseUrl}/api/v1/${endpoint}?${new URLSearchParams({ ...params, timeout: `${Math.ceil(this.timeoutMs)}ms` })}`;
    const name = metricName(metric);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        // Measured on loopback: a gzip-compressed query_range answer takes about 4x as long.
        headers: { Accept: "application/json", "Accept-Encoding": "identity" },
        // Next.js may cache fetch in server code; metrics must be live.
        cache: "no-store",
        signal,
      });
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw new MetricsUnavailableError(`${this.label} did not answer: ${describeNetworkError(e)}`);
    }
    try {
      text = await response.text();
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw new MetricsUnavailableError(`${this.label} broke off its answer for ${name}: ${describeNetworkError(e)}`);
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const failure = isRecord(body) && body.status === "error" ? String(body.error ?? body.errorType ?? "unknown error") : undefined;

    // 400 (bad_data) and 422 (execution) are Prometheus judging the query; other statuses are the
    // server or a proxy in front of it being unwell.
    if (failure !== undefined && (response.ok || response.status === 400 || response.status === 422)) {
      throw new MetricsUnavailableError(`${this.label} rejected the query for ${name}: ${failure}`);
    }
    if (!response.ok) {
      const detail = failure ?? (snippet(text) || response.statusText || "no details");
      throw new MetricsUnavailableError(`${this.label} answered ${response.status}: ${detail}`);
    }
    if (body === undefined) {
      throw new MetricsUnavailableError(
        `${this.label} answered the query for ${name} with something that is not JSON; is ${this.baseUrl} the address of Prometheus?`,
      );
    }
    if (!isRecord(body) || body.status !== "success" || !isRecord(body.data)) {
      throw new MetricsUnavailableError(`${this.label} answered the query for ${name} with JSON that is not a Prometheus API response.`);
    }
    const warnings = [body.warnings, body.infos].flatMap((w) => (Array.isArray(w) ? w.map(String) : []));
    return { data: body.data, warnings };
  }

  private parseMatrix(metric: MetricKind, query: string, answer: Answer, q: RangeQuery): PrometheusSeries {
    const name = metricName(metric);
    const { resultType, result } = answer.data;
    if (resultType !== "matrix" || !Array.isArray(result)) {
      throw new MetricsUnavailableError(
        `${this.label} answered the range query for ${name} with a ${String(resultType)} instead of a matrix.`,
      );
    }
    if (result.length === 0) {
      throw new MetricsNoDataError(
        `${this.label} has no data for ${name} between ${q.from.toISOString()} and ${q.to.toISOString()}: the query matched no series. ` +
          `Check the metric names and the label selector in: ${query}`,
      );
    }
    const notes = answer.warnings.map((w) => `Prometheus warned about the query for ${name}: ${w}`);
    const first = result[0] as unknown;
    if (result.length > 1) {
      notes.push(
        `The query for ${name} returned ${result.length} series; Backout shows the first, ${formatLabels(first)}. ` +
          "Aggregate it (sum, or histogram_quantile over sum by (le)) so that it returns one series.",
      );
    }
    const values = isRecord(first) && Array.isArray(first.values) ? first.values : [];
    const points: Point[] = [];
    let dropped = 0;
    for (const pair of values) {
      const point = toPoint(pair);
      if (point) points.push(point);
      else dropped++;
    }
    if (dropped > 0) {
      notes.push(
        points.length === 0
          ? `Every value of ${name} was NaN or infinite (for a ratio, usually no traffic at all).`
          : `${dropped} value(s) of ${name} that were NaN or infinite were left out (for a ratio, usually moments without traffic).`,
      );
    }
    return notes.length > 0 ? { metric, points, notes } : { metric, points };
  }

  private parseInstant(metric: MetricKind, answer: Answer): number | null {
    const { resultType, result } = answer.data;
    if (resultType === "scalar") return toPoint(result)?.v ?? null;
    if (resultType !== "vector" || !Array.isArray(result)) {
      throw new MetricsUnavailableError(
        `${this.label} answered the instant query for ${metricName(metric)} with a ${String(resultType)} instead of a vector.`,
      );
    }
    const first = result[0] as unknown;
    return isRecord(first) ? (toPoint(first.value)?.v ?? null) : null;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A [seconds, "value"] sample as a Point, or undefined for NaN/±Inf and anything malformed. */
function toPoint(pair: unknown): Point | undefined {
  if (!Array.isArray(pair) || pair.length < 2) return undefined;
  const t = Number(pair[0]) * 1000;
  const v = Number(pair[1]);
  if (!Number.isFinite(t) || !Number.isFinite(v) || typeof pair[1] !== "string") return undefined;
  return { t: Math.round(t), v };
}

/** Prometheus API time: decimal seconds since the epoch. */
const seconds = (d: Date) => String(d.getTime() / 1000);

const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

function formatLabels(series: unknown): string {
  const labels = isRecord(series) && isRecord(series.metric) ? series.metric : {};
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(String(v))}`)
    .join(", ")}}`;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection was closed",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
};

// fetch reports every network failure as TypeError("fetch failed"); the reason is in `cause`.
function describeNetworkError(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  const code = isRecord(cause) && typeof cause.code === "string" ? cause.code : undefined;
  if (code && NETWORK_ERRORS[code]) return `${NETWORK_ERRORS[code]} (${code})`;
  if (cause instanceof Error && cause.message === "bad port")
    return "fetch refuses to connect to this port (a port reserved for other protocols)";
  return cause instanceof Error ? cause.message : String(cause);
}
