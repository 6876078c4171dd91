import { describe, expect, it } from "vitest";
import { DEFAULT_MATERIALITY, materialThreshold } from "./materiality";
import { judgeMetric, mannWhitney, mulberry32 } from "./statistics";
import { compareWindow, judgeVerdict, lag1Autocorrelation } from "./verdict";

/** Seeded normal noise (Box-Muller), so every run sees the same samples. */
function noise(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
const series = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("judgeVerdict: the cases of issue 18", () => {
  it("60 zero baselines against a current window with 2–8 % errors is worse (the old rule said no change)", () => {
    const baseline = series(60, () => 0);
    const current = [0, 0.02, 0, 0.05, 0.08, 0, 0.03, 0.06, 0, 0.04, 0.07, 0];
    // The old rule: the Hodges-Lehmann interval's lower bound lands exactly on 0, so it never fires.
    expect(judgeMetric(baseline, current, { higherIsWorse: true }).verdict).toBe("no-significant-change");

    const v = judgeVerdict("ERROR_RATE", [{ name: "pre-deploy", values: baseline }], current);
    expect(v.verdict).toBe("worse");
    expect(v.comparisons).toHaveLength(1);
    expect(v.comparisons[0]).toMatchObject({ baseline: "pre-deploy", cause: "level" });
    expect(v.reason).toBe("error rate 0% → 2.5% compared with before the deploy");
  });

  it("flags the swinging latency of the issue with the spread reason, its median unchanged", () => {
    const n = noise(7);
    const baseline = series(60, () => 40 + 6 * n());
    const current = [25, 58, 28, 57, 25, 38, 23, 66];
    expect(judgeMetric(baseline, current, { higherIsWorse: true }).verdict).toBe("no-significant-change");

    const v = judgeVerdict("LATENCY_P95", [{ name: "pre-deploy", values: baseline }], current);
    expect(v.verdict).toBe("worse");
    expect(v.comparisons[0]?.cause).toBe("spread");
    expect(v.comparisons[0]?.spreadRatio).toBeGreaterThan(3);
    expect(v.reason).toMatch(/^p95 spread grew \d+(\.\d)?× compared with before the deploy \(median/);
  });

  it("calls a clean daily-cycle window no change when the day-earlier baseline exists, and says why", () => {
    // Throughput following the day (trough at 04:00, peak at 16:00), sampled each minute. The deploy is at
    // 08:00, the current window is 11:00–11:05: traffic is 20 % higher than before the deploy, as every day.
    const n = noise(3);
    const daily = (minuteOfDay: number) => 100 - 40 * Math.cos((2 * Math.PI * (minuteOfDay - 240)) / 1440);
    const at = (from: number, count: number) => series(count, (i) => daily(from + i) * (1 + 0.02 * n()));
    const preDeploy = at(7 * 60, 60);
    const current = at(11 * 60, 5 + 7);
    const dayEarlier = at(11 * 60 - 10, 30);

    const withoutHistory = judgeVerdict("THROUGHPUT", [{ name: "pre-deploy", values: preDeploy }], current);
    expect(withoutHistory.verdict).toBe("better");

    const v = judgeVerdict(
      "THROUGHPUT",
      [
        { name: "pre-deploy", values: preDeploy },
        { name: "day-earlier", values: dayEarlier },
        { name: "week-earlier", values: [] },
      ],
      current,
    );
    expect(v.verdict).toBe("no-significant-change");
    expect(v.comparisons.map((c) => [c.baseline, c.verdict])).toEqual([
      ["pre-deploy", "better"],
      ["day-earlier", "no-significant-change"],
    ]);
    expect(v.skipped).toEqual([{ baseline: "week-earlier", reason: "not enough samples the same time a week earlier (0 of 3)" }]);
    expect(v.reason).toMatch(/compared with before the deploy, but not better than the same time a day earlier: the time of day/);
  });

  it("still calls a regression on top of the daily cycle when it holds against every baseline", () => {
    const n = noise(5);
    const daily = (minute: number) => 200 + 80 * Math.sin((2 * Math.PI * minute) / 1440);
    const at = (from: number, count: number, factor = 1) => series(count, (i) => factor * daily(from + i) * (1 + 0.03 * n()));
    const v = judgeVerdict(
      "LATENCY_P99",
      [
        { name: "pre-deploy", values: at(600, 60) },
        { name: "day-earlier", values: at(650, 30) },
        { name: "week-earlier", values: at(650, 30) },
      ],
      at(660, 12, 1.25),
    );
    expect(v.verdict).toBe("worse");
    expect(v.comparisons.map((c) => c.verdict)).toEqual(["worse", "worse", "worse"]);
    expect(v.reason).toMatch(/; also compared with the same time a day earlier and the same time a week earlier$/);
  });
});

describe("materiality", () => {
  it("counts a significant 6 % latency shift that the old 10 % gate dropped", () => {
    const n = noise(11);
    const baseline = series(60, () => 68 + 0.8 * n());
    const current = series(12, () => 72 + 0.8 * n());
    expect(judgeMetric(baseline, current, { higherIsWorse: true }).verdict).toBe("no-significant-change");
    expect(judgeVerdict("LATENCY_P50", [{ name: "pre-deploy", values: baseline }], current).verdict).toBe("worse");
  });

  it("ignores a significant change below the absolute floor: 0 → 0.1 % errors", () => {
    const c = compareWindow(
      "ERROR_RATE",
      "pre-deploy",
      series(60, () => 0),
      series(12, () => 0.001),
    );
    expect(c.verdict).toBe("no-significant-change");
    expect(c.pValue).toBeLessThan(1e-6);
    expect(c.reason).toBe("error rate 0% → 0.1% compared with before the deploy: a change of 0.1%, under the 0.5% that counts");
  });

  it("takes the larger of the relative and absolute parts", () => {
    expect(materialThreshold({ relative: 0.05, absolute: 1 }, 300)).toBe(15);
    expect(materialThreshold({ relative: 0.05, absolute: 1 }, 4)).toBe(1);
    expect(materialThreshold(DEFAULT_MATERIALITY.ERROR_RATE, 0)).toBe(0.005);
  });

  it("uses a per-service materiality when given, and refuses a negative one", () => {
    const n = noise(13);
    const baseline = series(60, () => 100 + n());
    const current = series(12, () => 108 + n());
    expect(judgeVerdict("LATENCY_P99", [{ name: "pre-deploy", values: baseline }], current).verdict).toBe("worse");
    const lenient = { materiality: { relative: 0.2, absolute: 1 } };
    expect(judgeVerdict("LATENCY_P99", [{ name: "pre-deploy", values: baseline }], current, lenient).verdict).toBe("no-significant-change");
    expect(() => compareWindow("LATENCY_P99", "pre-deploy", baseline, current, { materiality: { relative: -1, absolute: 0 } })).toThrow(
      RangeError,
    );
  });
});

describe("noise that is not a regression", () => {
  it("drops a lone spike in the current window", () => {
    const n = noise(17);
    const baseline = series(60, () => 120 + 4 * n());
    const current = series(12, (i) => (i === 5 ? 900 : 120 + 4 * n()));
    expect(judgeVerdict("LATENCY_P99", [{ name: "pre-deploy", values: baseline }], current).verdict).toBe("no-significant-change");
  });

  it("discounts autocorrelated samples: a wandering baseline needs more evidence than independent noise", () => {
    // AR(1) with ρ = 0.9: a sliding-window rate sampled more often than its window.
    const n = noise(19);
    let x = 0;
    const ar = series(400, () => {
      x = 0.9 * x + n();
      return x;
    });
    expect(lag1Autocorrelation(ar)).toBeGreaterThan(0.8);
    expect(lag1Autocorrelation(series(400, n))).toBeLessThan(0.15);
    expect(lag1Autocorrelation([5, 5, 5, 5])).toBe(0);
    const baseline = ar.slice(0, 60).map((v) => 100 + v);
    const current = ar.slice(300, 312).map((v) => 100 + v);
    const c = compareWindow("THROUGHPUT", "pre-deploy", baseline, current, { materiality: { relative: 0, absolute: 0 } });
    // Same samples, same test: only the correction for ρ (capped at MAX_AUTOCORRELATION) raises the p-value.
    const uncorrected = mannWhitney(current, baseline).pValue;
    expect(uncorrected).toBeLessThan(0.02);
    expect(c.pValue).toBeGreaterThan(uncorrected * 10);
  });

  it("does not call an improvement worse, and names it better", () => {
    const n = noise(23);
    const v = judgeVerdict(
      "LATENCY_P99",
      [{ name: "pre-deploy", values: series(60, () => 200 + 5 * n()) }],
      series(12, () => 150 + 5 * n()),
    );
    expect(v.verdict).toBe("better");
    expect(v.reason).toMatch(/^p99 2\d\d ms → 1\d\d ms \(-2\d\.\d%\) compared with before the deploy$/);
  });
});

describe("no data", () => {
  it("needs the pre-deploy baseline; seasonal ones are optional", () => {
    const v = judgeVerdict(
      "LATENCY_P99",
      [{ name: "day-earlier", values: series(30, () => 5) }],
      series(12, () => 5),
    );
    expect(v.verdict).toBe("no-data");
    const empty = judgeVerdict(
      "LATENCY_P99",
      [{ name: "pre-deploy", values: [] }],
      series(12, () => 5),
    );
    expect(empty).toMatchObject({ verdict: "no-data", reason: "not enough samples before the deploy (0 of 3)", band: null });
    const fewCurrent = judgeVerdict("LATENCY_P99", [{ name: "pre-deploy", values: series(60, () => 5) }], [5, Number.NaN]);
    expect(fewCurrent).toMatchObject({ verdict: "no-data", reason: "not enough samples in the current window (1 of 3)", currentCount: 1 });
  });

  it("reports the band the materiality draws around the pre-deploy median", () => {
    const v = judgeVerdict("LATENCY_P99", [{ name: "pre-deploy", values: [100, 100, 100] }], [100, 100, 100]);
    expect(v).toMatchObject({ verdict: "no-significant-change", band: { median: 100, low: 95, high: 105 }, change: 0 });
  });
});
