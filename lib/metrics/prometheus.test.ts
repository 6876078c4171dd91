// Parsing, step choice, error messages and selector checks of PrometheusProvider, with a stub fetch.
// Whether real Prometheus answers as assumed here is prometheus.int.test.ts's job.
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import {
  chooseStep,
  DEFAULT_PROMQL,
  defaultQueries,
  MAX_POINTS_PER_SERIES,
  PrometheusProvider,
  resolveQueries,
  validateSelector,
} from "./prometheus";
import { METRIC_KINDS, MetricsUnavailableError, type RangeQuery } from "./types";

const BASE = "http://prom.test:9090";
const T0 = Date.UTC(2026, 0, 1);

type Call = { url: URL; init: RequestInit | undefined };

/** A fetch that answers every request with `answer(url)`, recording the calls. */
function stubFetch(answer: (url: URL) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    return answer(url);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const matrix = (...series: { metric?: Record<string, string>; values: [number, string][] }[]) =>
  json({ status: "success", data: { resultType: "matrix", result: series.map((s) => ({ metric: s.metric ?? {}, values: s.values })) } });

const range = (over: Partial<RangeQuery> = {}): RangeQuery => ({
  metrics: ["ERROR_RATE"],
  from: new Date(T0),
  to: new Date(T0 + 60_000),
  stepSeconds: 15,
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("chooseStep", () => {
  it("keeps the wanted step when the range allows it, rounded up to a whole second", () => {
    expect(chooseStep(T0, T0 + 3_600_000, 15)).toBe(15);
    expect(chooseStep(T0, T0 + 3_600_000, 0.2)).toBe(1);
    expect(chooseStep(T0, T0 + 3_600_000, 14.01)).toBe(15);
    expect(chooseStep(new Date(T0), new Date(T0), 30)).toBe(30);
  });

  it("coarsens the step so that no series has more than 11,000 points", () => {
    const year = 365 * 86_400;
    const step = chooseStep(T0, T0 + year * 1000, 1);
    expect(step).toBe(Math.ceil(year / MAX_POINTS_PER_SERIES));
    expect(Number.isInteger(step)).toBe(true);
    expect(Math.floor(year / step) + 1).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  it("stays within the limit when the range is an exact multiple of 11,000 steps", () => {
    // step 60 would give 11,001 points: Prometheus accepts that, but it is over the limit.
    const rangeSeconds = 11_000 * 60;
    const step = chooseStep(T0, T0 + rangeSeconds * 1000, 1);
    expect(step).toBe(61);
    expect(Math.floor(rangeSeconds / step) + 1).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  it("never goes below ceil(range / 11,000) whatever the range", () => {
    for (const rangeSeconds of [0, 1, 10_999, 11_000, 11_001, 86_400, 123_456.789, 7 * 86_400, 10 * 365 * 86_400]) {
      const step = chooseStep(T0, T0 + rangeSeconds * 1000, 1);
      expect(step).toBeGreaterThanOrEqual(Math.ceil(rangeSeconds / MAX_POINTS_PER_SERIES));
      expect(Math.floor(rangeSeconds / step) + 1).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    }
  });

  it("refuses reversed ranges and meaningless steps", () => {
    expect(() => chooseStep(T0 + 1000, T0, 15)).toThrow(/end of the time range is before its start/);
    expect(() => chooseStep(T0, T0 + 1000, 0)).toThrow(InvalidInputError);
    expect(() => chooseStep(T0, T0 + 1000, Number.NaN)).toThrow(/positive number of seconds/);
    expect(() => chooseStep(new Date("nonsense"), T0, 15)).toThrow(/invalid date/);
  });
});

describe("selectors and default queries", () => {
  it("accepts label matchers and normalises them", () => {
    expect(validateSelector('service="checkout-service"')).toBe('service="checkout-service"');
    expect(validateSelector(' job="checkout", env!~"stag.*", ')).toBe('job="checkout", env!~"stag.*"');
    expect(validateSelector("region='eu', zone=~`a|b`")).toBe("region='eu', zone=~`a|b`");
    expect(validateSelector('path="a,b\\"c"')).toBe('path="a,b\\"c"');
    expect(validateSelector("")).toBe("");
  });

  it("rejects braces with a message saying what to write instead", () => {
    for (const bad of ['{service="x"}', 'service="x"} or vector(1) or up{job="y"', 'x="{"']) {
      expect(() => validateSelector(bad)).toThrow(/must not contain "\{" or "\}".*service="checkout-service"/);
    }
    try {
      validateSelector("{}");
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field).toBe("selector");
    }
  });

  it("rejects anything else that is not a list of matchers", () => {
    for (const bad of [
      'service="x" or vector(1)',
      "service=x",
      'service="unterminated',
      'service="a") + (up',
      'service == "x"',
      ",",
      'a="b",,c="d"',
    ]) {
      expect(() => validateSelector(bad), bad).toThrow(/is not a list of label matchers/);
    }
  });

  it("builds the default PromQL, in Backout's units, from the selector", () => {
    const q = defaultQueries('service="checkout-service"');
    expect(q.THROUGHPUT).toBe('sum(rate(http_requests_total{service="checkout-service"}[1m]))');
    expect(q.ERROR_RATE).toBe(
      '(sum(rate(http_requests_total{service="checkout-service", status=~"5.."}[1m])) or vector(0)) / sum(rate(http_requests_total{service="checkout-service"}[1m]))',
    );
    expect(q.LATENCY_P99).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout-service"}[1m]))) * 1000',
    );
    expect(q.LATENCY_P50).toContain("histogram_quantile(0.5,");
    expect(q.LATENCY_P95).toContain("histogram_quantile(0.95,");
    expect(q.AVAILABILITY).toBe(`100 * (1 - (${q.ERROR_RATE}))`);
    expect(Object.keys(q).sort()).toEqual([...METRIC_KINDS].sort());
  });

  it("leaves the braces out when there is no selector", () => {
    const q = defaultQueries("");
    expect(q.THROUGHPUT).toBe("sum(rate(http_requests_total[1m]))");
    expect(q.ERROR_RATE).toContain('http_requests_total{status=~"5.."}');
    expect(DEFAULT_PROMQL.LATENCY_P50("")).toContain("http_request_duration_seconds_bucket[1m]");
  });

  it("lets the admin's queries replace the defaults, blank ones excepted", () => {
    const q = resolveQueries('job="checkout"', { LATENCY_P99: " my_p99_ms ", THROUGHPUT: "  " });
    expect(q.LATENCY_P99).toBe("my_p99_ms");
    expect(q.THROUGHPUT).toBe('sum(rate(http_requests_total{job="checkout"}[1m]))');
    expect(() => resolveQueries('job="x"}', {})).toThrow(InvalidInputError);
  });
});

describe("PrometheusProvider.queryRange", () => {
  it("asks query_range for each metric with decimal seconds, the chosen step and no compression", async () => {
    const { fetch, calls } = stubFetch(() => matrix({ values: [[T0 / 1000, "1"]] }));
    const provider = new PrometheusProvider({ baseUrl: `${BASE}/`, queries: resolveQueries('service="checkout-service"'), fetch });
    expect(provider.label).toBe(`Prometheus at ${BASE}`);

    await provider.queryRange(range({ metrics: ["ERROR_RATE", "LATENCY_P99"], from: new Date(T0 + 500), to: new Date(T0 + 3_600_250) }));

    expect(calls).toHaveLength(2);
    const [first, second] = calls;
    expect(first.url.origin + first.url.pathname).toBe(`${BASE}/api/v1/query_range`);
    expect(first.url.searchParams.get("start")).toBe(String(T0 / 1000 + 0.5));
    expect(first.url.searchParams.get("end")).toBe(String(T0 / 1000 + 3600.25));
    expect(first.url.searchParams.get("step")).toBe("15");
    expect(first.url.searchParams.get("query")).toBe(defaultQueries('service="checkout-service"').ERROR_RATE);
    expect(second.url.searchParams.get("query")).toContain("histogram_quantile(0.99,");
    const headers = new Headers(first.init?.headers);
    expect(headers.get("accept-encoding")).toBe("identity");
    expect(first.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it("coarsens the step of long ranges", async () => {
    const { fetch, calls } = stubFetch(() => matrix({ values: [[T0 / 1000, "1"]] }));
    const provider = new PrometheusProvider({ baseUrl: BASE, fetch });
    await provider.queryRange(range({ to: new Date(T0 + 30 * 86_400_000), stepSeconds: 1 }));
    expect(calls[0].url.searchParams.get("step")).toBe(String(Math.ceil((30 * 86_400) / 11_000)));
  });

  it("parses the matrix into points in epoch milliseconds, dropping NaN and infinities", async () => {
    const { fetch } = stubFetch((url) =>
      url.searchParams.get("query") === "tp"
        ? matrix({
            values: [
              [T0 / 1000, "12.5"],
              [T0 / 1000 + 15, "13"],
              [T0 / 1000 + 30.123, "0"],
            ],
          })
        : matrix({
            values: [
              [T0 / 1000, "0.02"],
              [T0 / 1000 + 15, "NaN"],
              [T0 / 1000 + 30, "+Inf"],
              [T0 / 1000 + 45, "-Inf"],
              [T0 / 1000 + 60, "0.5"],
            ],
          }),
    );
    const provider = new PrometheusProvider({ baseUrl: BASE, queries: { THROUGHPUT: "tp" }, fetch });
    const [throughput, errorRate] = await provider.queryRange(range({ metrics: ["THROUGHPUT", "ERROR_RATE"] }));

    expect(throughput).toEqual({
      metric: "THROUGHPUT",
      points: [
        { t: T0, v: 12.5 },
        { t: T0 + 15_000, v: 13 },
        { t: T0 + 30_123, v: 0 },
      ],
    });
    expect(errorRate.metric).toBe("ERROR_RATE");
    expect(errorRate.points).toEqual([
      { t: T0, v: 0.02 },
      { t: T0 + 60_000, v: 0.5 },
    ]);
    expect(errorRate.notes).toEqual([expect.stringMatching(/3 value\(s\) of error rate that were NaN or infinite were left out/)]);
  });

  it("says so when every value was NaN rather than passing an empty series off as data", async () => {
    const { fetch } = stubFetch(() => matrix({ values: [[T0 / 1000, "NaN"]] }));
    const [s] = await new PrometheusProvider({ baseUrl: BASE, fetch }).queryRange(range());
    expect(s.points).toEqual([]);
    expect(s.notes?.[0]).toMatch(/Every value of error rate was NaN or infinite/);
  });

  it("takes the first of several series and notes it", async () => {
    const { fetch } = stubFetch(() =>
      matrix(
        { metric: { instance: "a:80", job: "checkout" }, values: [[T0 / 1000, "1"]] },
        { metric: { instance: "b:80", job: "checkout" }, values: [[T0 / 1000, "2"]] },
      ),
    );
    const [s] = await new PrometheusProvider({ baseUrl: BASE, fetch }).queryRange(range({ metrics: ["LATENCY_P99"] }));
    expect(s.points).toEqual([{ t: T0, v: 1 }]);
    expect(s.notes).toEqual([
      expect.stringContaining('latency p99 returned 2 series; Backout shows the first, {instance="a:80", job="checkout"}'),
    ]);
  });

  it("passes Prometheus' warnings on as notes", async () => {
    const { fetch } = stubFetch(() =>
      json({
        status: "success",
        warnings: ["PromQL info: metric might not be a counter"],
        data: { resultType: "matrix", result: [{ metric: {}, values: [[T0 / 1000, "1"]] }] },
      }),
    );
    const [s] = await new PrometheusProvider({ baseUrl: BASE, fetch }).queryRange(range());
    expect(s.notes).toEqual(["Prometheus warned about the query for error rate: PromQL info: metric might not be a counter"]);
  });

  it("refuses to return an empty series when the query matched nothing", async () => {
    const { fetch } = stubFetch(() => matrix());
    const e = await rejection(
      new PrometheusProvider({ baseUrl: BASE, queries: { AVAILABILITY: "nothing_here" }, fetch }).queryRange(
        range({ metrics: ["AVAILABILITY"] }),
      ),
    );
    expect(e).toBeInstanceOf(MetricsUnavailableError);
    expect(e.message).toMatch(
      /^Prometheus at http:\/\/prom\.test:9090 has no data for availability between 2026-01-01T00:00:00\.000Z and .*matched no series.*nothing_here$/,
    );
  });

  it("asks nothing for no metrics", async () => {
    const { fetch, calls } = stubFetch(() => matrix());
    expect(await new PrometheusProvider({ baseUrl: BASE, fetch }).queryRange(range({ metrics: [] }))).toEqual([]);
    expect(calls).toHaveLength(0);
  });
});

describe("PrometheusProvider errors", () => {
  const fail = async (answer: () => Response | Promise<Response>, metric: "ERROR_RATE" | "LATENCY_P99" = "LATENCY_P99") => {
    const { fetch } = stubFetch(answer);
    return rejection(new PrometheusProvider({ baseUrl: BASE, fetch, timeoutMs: 200 }).queryRange(range({ metrics: [metric] })));
  };

  it("reports a non-2xx answer with its status and body", async () => {
    const e = await fail(
      () => new Response("<html><body>\n  Service Unavailable\n</body></html>", { status: 503, statusText: "Service Unavailable" }),
    );
    expect(e).toBeInstanceOf(MetricsUnavailableError);
    expect(e.message).toBe("Prometheus at http://prom.test:9090 answered 503: <html><body> Service Unavailable </body></html>");
  });

  it("reports a non-2xx answer without a body by its status text", async () => {
    const e = await fail(() => new Response(null, { status: 502, statusText: "Bad Gateway" }));
    expect(e.message).toBe("Prometheus at http://prom.test:9090 answered 502: Bad Gateway");
  });

  it("uses the error of Prometheus' JSON for a server-side failure", async () => {
    const e = await fail(() => json({ status: "error", errorType: "timeout", error: "query timed out in expression evaluation" }, 503));
    expect(e.message).toBe("Prometheus at http://prom.test:9090 answered 503: query timed out in expression evaluation");
  });

  it("reports a rejected query with the metric and Prometheus' reason", async () => {
    const e = await fail(() => json({ status: "error", errorType: "bad_data", error: '1:5: parse error: unexpected "}"' }, 400));
    expect(e).toBeInstanceOf(MetricsUnavailableError);
    expect(e.message).toBe('Prometheus at http://prom.test:9090 rejected the query for latency p99: 1:5: parse error: unexpected "}"');
    const e2 = await fail(
      () => json({ status: "error", errorType: "execution", error: "many-to-many matching not allowed" }, 422),
      "ERROR_RATE",
    );
    expect(e2.message).toBe("Prometheus at http://prom.test:9090 rejected the query for error rate: many-to-many matching not allowed");
  });

  it('treats status "error" as a rejection even with a 200', async () => {
    const e = await fail(() => json({ status: "error", errorType: "bad_data", error: "invalid parameter" }));
    expect(e.message).toBe("Prometheus at http://prom.test:9090 rejected the query for latency p99: invalid parameter");
  });

  it("reports an answer that is not JSON", async () => {
    const e = await fail(() => new Response("<!doctype html><title>Grafana</title>", { status: 200 }));
    expect(e).toBeInstanceOf(MetricsUnavailableError);
    expect(e.message).toMatch(
      /answered the query for latency p99 with something that is not JSON; is http:\/\/prom\.test:9090 the address of Prometheus\?/,
    );
  });

  it("reports JSON that is not a Prometheus answer", async () => {
    expect((await fail(() => json({ hello: "world" }))).message).toMatch(/JSON that is not a Prometheus API response/);
    expect((await fail(() => json({ status: "success", data: { resultType: "vector", result: [] } }))).message).toMatch(
      /with a vector instead of a matrix/,
    );
  });

  it("reports a network failure as not answering", async () => {
    const e = await fail(() => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9090"), { code: "ECONNREFUSED" }),
      });
    });
    expect(e).toBeInstanceOf(MetricsUnavailableError);
    expect(e.message).toBe("Prometheus at http://prom.test:9090 did not answer: connection refused (ECONNREFUSED)");
  });

  it("gives up at the deadline even when fetch ignores its abort signal", async () => {
    const started = Date.now();
    const e = await fail(() => new Promise<Response>(() => {}));
    expect(e).toBeInstanceOf(MetricsUnavailableError);
    expect(e.message).toBe("Prometheus at http://prom.test:9090 did not answer within 0.2 s");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("aborts the other requests of the call once one failed", async () => {
    const signals: AbortSignal[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.signal) signals.push(init.signal);
      if (String(input).includes("bad")) return json({ status: "error", error: "bad" }, 400);
      return new Promise<Response>(() => {});
    }) as typeof globalThis.fetch;
    const provider = new PrometheusProvider({ baseUrl: BASE, fetch, queries: { THROUGHPUT: "bad" } });
    const e = await rejection(provider.queryRange(range({ metrics: ["ERROR_RATE", "THROUGHPUT"] })));
    expect(e.message).toMatch(/rejected the query for throughput: bad/);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it("checks its options", () => {
    expect(() => new PrometheusProvider({ baseUrl: "prom:9090" })).toThrow(/must start with http:\/\/ or https:\/\//);
    expect(() => new PrometheusProvider({ baseUrl: "not a url" })).toThrow(/is not a URL/);
    expect(() => new PrometheusProvider({ baseUrl: BASE, timeoutMs: 0 })).toThrow(/timeout must be a positive number/);
  });
});

describe("PrometheusProvider.queryInstant", () => {
  it("reads one value per metric at the given time, null where there is none", async () => {
    const at = new Date(T0 + 1234);
    const { fetch, calls } = stubFetch((url) => {
      const value = (v: string) =>
        json({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [T0 / 1000 + 1.234, v] }] } });
      switch (url.searchParams.get("query")) {
        case "er":
          return value("0.25");
        case "nan":
          return value("NaN");
        case "scalar":
          return json({ status: "success", data: { resultType: "scalar", result: [T0 / 1000, "99.5"] } });
        default:
          return json({ status: "success", data: { resultType: "vector", result: [] } });
      }
    });
    const provider = new PrometheusProvider({
      baseUrl: BASE,
      fetch,
      queries: { ERROR_RATE: "er", LATENCY_P50: "nan", AVAILABILITY: "scalar", THROUGHPUT: "none" },
    });

    expect(await provider.queryInstant(["ERROR_RATE", "LATENCY_P50", "AVAILABILITY", "THROUGHPUT"], at)).toEqual({
      ERROR_RATE: 0.25,
      LATENCY_P50: null,
      AVAILABILITY: 99.5,
      THROUGHPUT: null,
    });
    expect(calls.map((c) => c.url.pathname)).toEqual(Array(4).fill("/api/v1/query"));
    expect(calls[0].url.searchParams.get("time")).toBe(String(T0 / 1000 + 1.234));
  });

  it("fails like queryRange does", async () => {
    const { fetch } = stubFetch(() => json({ status: "error", errorType: "bad_data", error: "parse error" }, 400));
    const e = await rejection(new PrometheusProvider({ baseUrl: BASE, fetch }).queryInstant(["THROUGHPUT"]));
    expect(e).toBeInstanceOf(MetricsUnavailableError);
    expect(e.message).toBe("Prometheus at http://prom.test:9090 rejected the query for throughput: parse error");
  });
});
