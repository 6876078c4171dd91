// Reference values: the standard normal table (Abramowitz & Stegun, Handbook of Mathematical Functions,
// tables 7.1 and 26.1) and hand computation as shown. Every Mann-Whitney p-value below was also checked
// against scipy.stats.mannwhitneyu(current, baseline, use_continuity=True, alternative="two-sided",
// method="asymptotic"), which computes the same statistic as R's wilcox.test(exact=FALSE, correct=TRUE);
// every interval against a line-by-line port of R's wilcox.test `wdiff`/`root` with a tight root search.
import { describe, expect, it } from "vitest";
import { METRIC_INFO } from "./format";
import {
  DEFAULT_TOLERANCE,
  erfc,
  inverseNormalCdf,
  judgeMetric,
  mannWhitney,
  normalCdf,
  quantileSorted,
  removeOutliersIqr,
} from "./statistics";

const range = (from: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => from + i * step);

describe("normal distribution", () => {
  it("matches the normal table", () => {
    expect(normalCdf(0)).toBe(0.5);
    // A&S 26.1: Φ(1.96) = 0.9750021, Φ(1) = 0.8413447, Φ(3) = 0.9986501.
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
    expect(normalCdf(-1)).toBeCloseTo(1 - 0.8413447, 7);
    expect(normalCdf(3)).toBeCloseTo(0.9986501, 7);
  });

  it("keeps relative accuracy deep in the tail, where 1 - Φ would lose every digit", () => {
    // A&S 26.1: Q(5) = 1 - Φ(5) = 2.866516e-7.
    expect(normalCdf(-5) / 2.866516e-7).toBeCloseTo(1, 6);
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
  });

  it("is symmetric", () => {
    for (const x of [0.1, 0.7, 1.4999, 1.5, 2.2, 3.7]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });

  it("computes erfc on both sides of the series / continued-fraction switch", () => {
    // A&S 7.1: erf(1) = 0.8427007929, erf(2) = 0.9953222650, erf(0.5) = 0.5204998778.
    expect(erfc(0)).toBe(1);
    expect(erfc(0.5)).toBeCloseTo(1 - 0.5204998778, 10);
    expect(erfc(1)).toBeCloseTo(1 - 0.8427007929, 10);
    expect(erfc(2)).toBeCloseTo(1 - 0.995322265, 10);
    expect(erfc(-1)).toBeCloseTo(1 + 0.8427007929, 10);
    expect(erfc(Number.NaN)).toBeNaN();
    // Continuity at 1.5: the two methods agree to well below the table's precision.
    expect(erfc(1.5 - 1e-12) - erfc(1.5)).toBeLessThan(1e-12);
  });

  it("inverts Φ at the known quantiles", () => {
    // A&S 26.1 (percentage points): z(0.99) = 2.326348, z(0.975) = 1.959964, z(0.999) = 3.090232.
    expect(inverseNormalCdf(0.99)).toBeCloseTo(2.326348, 6);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959964, 6);
    expect(inverseNormalCdf(0.01)).toBeCloseTo(-2.326348, 6);
    expect(inverseNormalCdf(0.001)).toBeCloseTo(-3.090232, 6);
    expect(inverseNormalCdf(0.5)).toBe(0);
  });

  it("round-trips through Φ in all three Acklam regions", () => {
    for (const p of [1e-12, 1e-6, 0.001, 0.02, 0.0243, 0.1, 0.3, 0.5, 0.8, 0.97, 0.976, 0.999]) {
      expect(normalCdf(inverseNormalCdf(p)) / p).toBeCloseTo(1, 12);
    }
  });

  it("maps the edges to infinities and nonsense to NaN", () => {
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(inverseNormalCdf(1.5)).toBeNaN();
    expect(inverseNormalCdf(Number.NaN)).toBeNaN();
  });
});

describe("quantiles and outliers", () => {
  it("uses R's type 7 quantiles", () => {
    // h = (n-1)p = 0.75 → 1 + 0.75·(2-1) = 1.75; h = 2.25 → 3 + 0.25·(4-3) = 3.25 (R: quantile(1:4) gives the same).
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantileSorted([7], 0.25)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it("removes values beyond Tukey's fences, keeping the order of the rest", () => {
    // Sorted 1,2,3,4,100: Q1 = 2 (h = 1), Q3 = 4 (h = 3), IQR = 2, fences [2 - 3, 4 + 3] = [-1, 7].
    expect(removeOutliersIqr([3, 100, 1, 4, 2])).toEqual([3, 1, 4, 2]);
    // factor 3: fences [-4, 10], 100 still out; factor 50: upper fence 104, 100 stays.
    expect(removeOutliersIqr([3, 100, 1, 4, 2], 3)).toEqual([3, 1, 4, 2]);
    expect(removeOutliersIqr([3, 100, 1, 4, 2], 50)).toEqual([3, 100, 1, 4, 2]);
  });

  it("drops non-finite values and handles empty input", () => {
    expect(removeOutliersIqr([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3])).toEqual([1, 2, 3]);
    expect(removeOutliersIqr([])).toEqual([]);
    expect(removeOutliersIqr([Number.NaN])).toEqual([]);
  });

  it("fences out any deviation when the IQR is zero, unless removal is disabled", () => {
    // 5×7 then 9: Q1 (h = 1.75) and Q3 (h = 5.25) are both 5, so the fences are [5, 5].
    const values = [5, 5, 5, 5, 5, 5, 5, 9];
    expect(removeOutliersIqr(values)).toEqual([5, 5, 5, 5, 5, 5, 5]);
    // Infinity·0 would be NaN and fence out everything; Infinity must mean "keep all".
    expect(removeOutliersIqr(values, Number.POSITIVE_INFINITY)).toEqual(values);
  });

  it("rejects a negative factor", () => {
    expect(() => removeOutliersIqr([1, 2, 3], -1)).toThrow(RangeError);
  });
});

describe("mannWhitney", () => {
  it("computes U, z and p for separated samples", () => {
    // Current ranks 4,5,6 → W = 15 - 3·4/2 = 9 = m·n. dz = 9 - 4.5 = 4.5, σ² = 9/12·7 = 5.25,
    // z = (4.5 - 0.5)/√5.25 = 1.745743; p = 2(1 - Φ(1.7457)) ≈ 0.0809 (table; scipy 0.0808556).
    const r = mannWhitney([4, 5, 6], [1, 2, 3]);
    expect(r.u).toBe(9);
    expect(r.z).toBeCloseTo(4 / Math.sqrt(5.25), 12);
    expect(r.z).toBeCloseTo(1.745743, 6);
    expect(r.pValue).toBeCloseTo(0.0808556, 7);
    // Differences 4-6 minus 1-3, sorted: 1,2,2,3,3,3,4,4,5 → median 3.
    expect(r.hodgesLehmann).toBe(3);
    // k = ⌈4.5 - 2.326348·2.291288 - 0.5⌉ = ⌈-1.33⌉ → clamped to 1: [D(1), D(9)] = [1, 5],
    // R's [min(x) - max(y), max(x) - min(y)] fallback when 98% is out of reach.
    expect([r.ciLow, r.ciHigh]).toEqual([1, 5]);
  });

  it("is antisymmetric when the samples swap", () => {
    const r = mannWhitney([1, 2, 3], [4, 5, 6]);
    expect(r.u).toBe(0);
    expect(r.z).toBeCloseTo(-1.745743, 6);
    expect(r.pValue).toBeCloseTo(0.0808556, 7);
    expect(r.hodgesLehmann).toBe(-3);
    expect([r.ciLow, r.ciHigh]).toEqual([-5, -1]);
  });

  it("corrects for ties", () => {
    // Pooled 1,2,2,2,3,3,3,4: the 2s share rank 3, the 3s rank 6. Current 2,3,3,4 → ranks 3+6+6+8 = 23,
    // W = 23 - 10 = 13 (pairs: 2 → 1 + ½·2, 3 → 3 + ½ twice, 4 → 4). dz = 13 - 8 = 5.
    // Ties: two groups of 3 → Σ(t³ - t) = 48; σ² = 16/12·(9 - 48/56) = 10.857143, σ = 3.295018.
    // z = 4.5/3.295018 = 1.365698; p = 2(1 - Φ(1.3657)) ≈ 0.172 (table; scipy 0.1720337).
    const r = mannWhitney([2, 3, 3, 4], [1, 2, 2, 3], 0.95);
    expect(r.u).toBe(13);
    expect(r.z).toBeCloseTo(1.365698, 6);
    expect(r.pValue).toBeCloseTo(0.1720337, 7);
    // 16 differences: -1 ×1, 0 ×4, 1 ×6, 2 ×4, 3 ×1 → 8th and 9th are both 1.
    expect(r.hodgesLehmann).toBe(1);
    // Within-sample ties only (one pair in each): σ_ci² = 16/12·(9 - 12/56) = 11.714286, σ_ci = 3.422614.
    // 95%: k = ⌈8 - 1.959964·3.422614 - 0.5⌉ = ⌈0.79⌉ = 1 → [D(1), D(16)] = [-1, 3].
    expect([r.ciLow, r.ciHigh]).toEqual([-1, 3]);
    // 80%: k = ⌈7.5 - 1.281552·3.422614⌉ = ⌈3.11⌉ = 4 → [D(4), D(13)] = [0, 2].
    const r80 = mannWhitney([2, 3, 3, 4], [1, 2, 2, 3], 0.8);
    expect([r80.ciLow, r80.ciHigh]).toEqual([0, 2]);
  });

  it("narrows the interval to a real 98% one once the samples are large enough", () => {
    // m = 6, n = 5, all current above: W = 30, dz = 15, σ² = 30/12·12 = 30, z = 14.5/√30 = 2.647326,
    // p ≈ 0.0081 (scipy 0.0081131). k = ⌈15 - 2.326348·5.477226 - 0.5⌉ = ⌈1.76⌉ = 2.
    // Differences are 10 + i - j (i ∈ 0..5, j ∈ 0..4): D(1) = 20 - 14 = 6, D(2) = 7; D(29) = 14, D(30) = 15.
    // i - j ≤ 0 for 1+2+3+4+5 = 15 pairs, so the median is between 10 + 0 and 10 + 1.
    const r = mannWhitney(range(20, 6), range(10, 5));
    expect(r.pValue).toBeCloseTo(0.0081131, 7);
    expect([r.ciLow, r.ciHigh]).toEqual([7, 14]);
    expect(r.hodgesLehmann).toBe(10.5);
  });

  it("returns numbers, not NaN, when every observation is tied", () => {
    // σ = 0: R reports NaN; with nothing to rank there is no evidence, so z = 0 and p = 1.
    // Every pair ties: W = 9·½ = 4.5. All differences are 0.
    const r = mannWhitney([5, 5, 5], [5, 5, 5]);
    expect(r).toEqual({ u: 4.5, z: 0, pValue: 1, hodgesLehmann: 0, ciLow: 0, ciHigh: 0 });
  });

  it("gives the constant difference for two constant samples", () => {
    // W = 9, dz = 4.5, ties 2·(27 - 3) = 48, σ² = 9/12·(7 - 48/30) = 4.05, z = 4/√4.05 = 1.987616,
    // p ≈ 0.0469 (scipy 0.0468542). Every difference is 20.
    const r = mannWhitney([120, 120, 120], [100, 100, 100]);
    expect(r.z).toBeCloseTo(4 / Math.sqrt(4.05), 12);
    expect(r.pValue).toBeCloseTo(0.0468542, 7);
    expect([r.hodgesLehmann, r.ciLow, r.ciHigh]).toEqual([20, 20, 20]);
  });

  it("selects the same order statistics as sorting every pairwise difference", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let c = 0; c < 40; c++) {
      const m = 1 + Math.floor(next() * 60);
      const n = 1 + Math.floor(next() * 60);
      // Every other case is coarse integers, so differences repeat and the selection must handle ties.
      const draw = () => (c % 2 === 0 ? Math.floor(next() * 8) : next() * 100);
      const x = Array.from({ length: m }, draw);
      const y = Array.from({ length: n }, draw);
      const d = x.flatMap((xi) => y.map((yj) => xi - yj)).sort((a, b) => a - b);
      const mid = d.length % 2 === 1 ? d[(d.length - 1) / 2] : ((d[d.length / 2 - 1] as number) + (d[d.length / 2] as number)) / 2;
      const r = mannWhitney(x, y, 0.9);
      expect(r.hodgesLehmann).toBe(mid);
      // The interval is [D(k), D(mn+1-k)] for one k: symmetric order statistics.
      const symmetric = d.some((v, i) => v === r.ciLow && d[d.length - 1 - i] === r.ciHigh);
      expect(symmetric).toBe(true);
    }
  });

  it("refuses empty samples, non-finite values and impossible confidences", () => {
    expect(() => mannWhitney([], [1])).toThrow(RangeError);
    expect(() => mannWhitney([1, Number.NaN], [1])).toThrow(RangeError);
    expect(() => mannWhitney([1], [2], 1)).toThrow(RangeError);
    expect(() => mannWhitney([1], [2], 0)).toThrow(RangeError);
  });
});

describe("judgeMetric", () => {
  const errorRate = { higherIsWorse: METRIC_INFO.ERROR_RATE.higherIsWorse };
  const throughput = { higherIsWorse: METRIC_INFO.THROUGHPUT.higherIsWorse };
  const latency = { higherIsWorse: METRIC_INFO.LATENCY_P95.higherIsWorse };

  it("calls a higher error rate worse", () => {
    // 6 vs 6, all current above: W = 36, dz = 18, σ² = 36/12·13 = 39, z = 17.5/√39 = 2.802243,
    // p ≈ 0.0051 (scipy 0.0050749) < 0.02. k = ⌈18 - 2.326348·6.244998 - 0.5⌉ = ⌈2.97⌉ = 3:
    // D(1) = 0.050 - 0.015 = 0.035, D(2) = D(3) = 0.036 (0.050 - 0.014, 0.051 - 0.015) > 0.
    // HL = 0.04 + 0.001·median(i - j) = 0.04,
    // 0.04 / 0.0125 = 3.2 > 0.1.
    const r = judgeMetric(range(0.01, 6, 0.001), range(0.05, 6, 0.001), errorRate);
    expect(r.verdict).toBe("worse");
    expect(r.pValue).toBeCloseTo(0.0050749, 7);
    expect(r.ciLow).toBeCloseTo(0.036, 12);
    expect(r.hodgesLehmann).toBeCloseTo(0.04, 12);
    expect(r.baselineMedian).toBeCloseTo(0.0125, 12);
    expect(r.currentMedian).toBeCloseTo(0.0525, 12);
    // (0.0525 - 0.0125) / 0.0125 = 3.2
    expect(r.change).toBeCloseTo(3.2, 10);
    expect([r.baselineCount, r.currentCount]).toEqual([6, 6]);
  });

  it("calls higher throughput better and lower throughput worse", () => {
    // Same rank structure as above: significant, shift ±50 on a median of 102.5 or 152.5.
    expect(judgeMetric(range(100, 6), range(150, 6), throughput).verdict).toBe("better");
    expect(judgeMetric(range(150, 6), range(100, 6), throughput).verdict).toBe("worse");
    expect(judgeMetric(range(150, 6), range(100, 6), errorRate).verdict).toBe("better");
  });

  it("treats a significant but tiny shift as no change, within the tolerance", () => {
    // 1000..1005 vs 1010..1015: p ≈ 0.0051 (as above), D(3) = 1010 - 1004 = 6 > 0, so significant;
    // HL = 10 but 10 / 1002.5 = 0.00998 < 0.1.
    const r = judgeMetric(range(1000, 6), range(1010, 6), latency);
    expect(r.ciLow).toBe(6);
    expect(r.hodgesLehmann).toBe(10);
    expect(r.verdict).toBe("no-significant-change");
    // (1012.5 - 1002.5) / 1002.5
    expect(r.change).toBeCloseTo(10 / 1002.5, 12);
    // With a 0.5% tolerance the same shift matters.
    expect(judgeMetric(range(1000, 6), range(1010, 6), { ...latency, tolerance: 0.005 }).verdict).toBe("worse");
    expect(DEFAULT_TOLERANCE).toBe(0.1);
  });

  it("lets outlier removal change the verdict", () => {
    const baseline = [10, 11, 12, 13, 14, 1000];
    const current = range(20, 6);
    // Baseline sorted: Q1 = 11.25 (h = 1.25), Q3 = 13.75 (h = 3.75), IQR = 2.5, upper fence 17.5 → 1000 goes.
    // Then 6 vs 5 separated: p ≈ 0.0081, interval [7, 14], HL 10.5 on a median of 12 → worse.
    const cleaned = judgeMetric(baseline, current, latency);
    expect(cleaned.verdict).toBe("worse");
    expect(cleaned.baselineCount).toBe(5);
    expect(cleaned.hodgesLehmann).toBe(10.5);
    // Kept, 1000 outranks every current value: W = 30 of 36, dz = 12, z = 11.5/√39 = 1.841474,
    // p ≈ 0.0656 (scipy 0.0655522); k = 3 (as for 6 vs 6 above) and the three smallest
    // differences are 20 - 1000, 21 - 1000, 22 - 1000, so D(3) = -978 < 0 → not significant.
    const raw = judgeMetric(baseline, current, { ...latency, outlierFactor: Number.POSITIVE_INFINITY });
    expect(raw.verdict).toBe("no-significant-change");
    expect(raw.baselineCount).toBe(6);
    expect(raw.pValue).toBeCloseTo(0.0655522, 7);
    expect(raw.ciLow).toBe(-978);
  });

  it("does not let an out-of-reach interval on tiny samples trigger a verdict", () => {
    // 3 vs 3: the 98% interval is clamped to [1, 5] (see mannWhitney), yet p = 0.0809 > 0.02.
    const r = judgeMetric([1, 2, 3], [4, 5, 6], { ...latency, tolerance: 0 });
    expect([r.ciLow, r.ciHigh]).toEqual([1, 5]);
    expect(r.verdict).toBe("no-significant-change");
  });

  it("compares two constant samples with the tolerance alone", () => {
    // 100 → 120: +20% > 10% → worse, although the rank test alone gives p = 0.0469 > 0.02.
    const up = judgeMetric([100, 100, 100], [120, 120, 120], latency);
    expect(up.verdict).toBe("worse");
    expect(up.change).toBeCloseTo(0.2, 12);
    expect([up.hodgesLehmann, up.ciLow, up.ciHigh]).toEqual([20, 20, 20]);
    // 100 → 105: +5% ≤ 10%.
    expect(judgeMetric([100, 100, 100], [105, 105, 105], latency).verdict).toBe("no-significant-change");
    // Throughput falling 100 → 80 is worse.
    expect(judgeMetric([100, 100, 100], [80, 80, 80], throughput).verdict).toBe("worse");
  });

  it("handles identical constant samples without NaN", () => {
    const r = judgeMetric([7, 7, 7, 7], [7, 7, 7, 7], latency);
    expect(r).toEqual({
      verdict: "no-significant-change",
      baselineMedian: 7,
      currentMedian: 7,
      change: 0,
      pValue: 1,
      hodgesLehmann: 0,
      ciLow: 0,
      ciHigh: 0,
      baselineCount: 4,
      currentCount: 4,
    });
  });

  it("counts any shift from a zero baseline as material, with no relative change", () => {
    // Baseline error rate 0 throughout, current 2%: |0.02| > 0.1·0 → worse; change has no meaning.
    const r = judgeMetric([0, 0, 0, 0], [0.02, 0.02, 0.02, 0.02], errorRate);
    expect(r.verdict).toBe("worse");
    expect(r.change).toBeNull();
    expect(judgeMetric([0, 0, 0, 0], [0, 0, 0, 0], errorRate).verdict).toBe("no-significant-change");
  });

  it("reports no data when a side is empty or too small after cleaning", () => {
    const empty = judgeMetric([], range(1, 5), latency);
    expect(empty).toEqual({
      verdict: "no-data",
      baselineMedian: null,
      currentMedian: 3,
      change: null,
      pValue: null,
      hodgesLehmann: null,
      ciLow: null,
      ciHigh: null,
      baselineCount: 0,
      currentCount: 5,
    });
    // Two finite values out of four: below the default minimum of 3.
    const sparse = judgeMetric(range(1, 5), [Number.NaN, Number.POSITIVE_INFINITY, 1, 2], latency);
    expect(sparse.verdict).toBe("no-data");
    expect(sparse.currentCount).toBe(2);
    expect(sparse.currentMedian).toBe(1.5);
    expect(judgeMetric(range(1, 5), [1, 2], { ...latency, minSamples: 2 }).verdict).not.toBe("no-data");
  });

  it("rejects nonsensical options", () => {
    expect(() => judgeMetric([1], [1], { ...latency, tolerance: -0.1 })).toThrow(RangeError);
    expect(() => judgeMetric([1], [1], { ...latency, minSamples: 0 })).toThrow(RangeError);
    expect(() => judgeMetric([1], [1], { ...latency, confidence: 1.2 })).toThrow(RangeError);
  });
});
