// A labelled corpus of metric windows for scoring verdict functions (bench/verdicts.bench.ts and the CI
// gate bench/verdicts.test.ts). Each case is what the incident page would load: a 60-min baseline before
// the deploy, the same clock window (±10 min) a day and, for half of the cases, a week earlier, and the
// current window; plus its label (is it a regression?). Pure and deterministic for a seed.
//
// The model of a series: level × daily rhythm × day-to-day factor × exp(σ·AR(1) noise), sampled every 15 s
// (a 5-min current window, 20 samples) or every 60 s (12 min, 12 samples). Error rates are errors/requests
// of a binomial draw per sample, so a healthy service at low traffic reads 0 most of the time.

import { METRIC_INFO } from "@/lib/metrics/format";
import { judgeMetric, mulberry32 } from "@/lib/metrics/statistics";
import type { MetricKind } from "@/lib/metrics/types";
import { BASELINE_OFFSET_MS, type BaselineInput, judgeVerdict } from "@/lib/metrics/verdict";

/** Regressions the verdict must catch (recall is scored per kind). */
export const POSITIVE_KINDS = ["shift", "partial", "spread", "drift", "zero-inflated"] as const;
/** Windows where nothing went wrong (specificity is scored over all of them). */
export const QUIET_KINDS = ["quiet", "daily", "spike", "improvement", "zero-inflated-quiet"] as const;
export type CaseKind = (typeof POSITIVE_KINDS)[number] | (typeof QUIET_KINDS)[number];

export const NOISE_LEVELS = ["low", "mid", "high"] as const;
export type NoiseLevel = (typeof NOISE_LEVELS)[number];
/** σ of the log-noise per level, and for error rates the requests per sample (fewer requests, noisier ratio). */
const SIGMA: Record<NoiseLevel, number> = { low: 0.02, mid: 0.05, high: 0.1 };
const REQUESTS: Record<NoiseLevel, number> = { low: 5000, mid: 500, high: 100 };

export type LabelledCase = {
  kind: CaseKind;
  regression: boolean;
  noise: NoiseLevel;
  metric: MetricKind;
  baselines: BaselineInput[];
  current: number[];
  /** What was generated, for reading failures: "p95 +12.0% from 14:05". */
  note: string;
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

type Random = () => number;

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
const uniform = (random: Random, lo: number, hi: number) => lo + (hi - lo) * random();
const logUniform = (random: Random, lo: number, hi: number) => Math.exp(uniform(random, Math.log(lo), Math.log(hi)));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function binomial(random: Random, n: number, p: number): number {
  if (p <= 0) return 0;
  // Normal approximation where it is good, exact draws where counts are small (the zero-inflated case).
  if (n * p > 30 && n * (1 - p) > 30) return Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gaussian(random)));
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

type Scenario = {
  metric: MetricKind;
  level: number;
  sigma: number;
  requests: number;
  phi: number;
  dailyAmplitude: number;
  dailyPhase: number;
  stepMs: number;
  deployAt: number;
  currentFrom: number;
  currentTo: number;
  /** Multiplier on the level (or added error fraction) at time t, for the bad change; 0/1 when none. */
  change: (t: number) => number;
  spreadFactor: (t: number) => number;
  spikes: Set<number>;
};

/** One series over [from, to) at the scenario's step; `day` shifts the day-to-day factor and the noise stream. */
function sample(s: Scenario, random: Random, from: number, to: number, dayFactor: number, withChange: boolean): number[] {
  const out: number[] = [];
  let ar = gaussian(random);
  const innovation = Math.sqrt(1 - s.phi * s.phi);
  for (let t = from; t < to; t += s.stepMs) {
    ar = s.phi * ar + innovation * gaussian(random);
    const daily = 1 + s.dailyAmplitude * Math.sin((2 * Math.PI * (t - s.dailyPhase)) / DAY);
    const spread = withChange ? s.spreadFactor(t) : 1;
    // A spread change is erratic, not a wander: white noise scaled up, not the AR stream.
    const wobble = spread === 1 ? s.sigma * ar : s.sigma * spread * gaussian(random);
    const delta = withChange ? s.change(t) : 0;
    const spike = withChange && s.spikes.has(t) ? uniform(random, 3, 10) : 1;
    if (s.metric === "ERROR_RATE") {
      const requests = Math.max(1, Math.round(s.requests * daily * Math.exp(s.sigma * ar)));
      const p = Math.min(1, (s.level * dayFactor + delta) * spike);
      out.push(binomial(random, requests, p) / requests);
    } else {
      const bad = METRIC_INFO[s.metric].higherIsWorse ? 1 + delta : 1 / (1 + delta);
      out.push(s.level * daily * dayFactor * bad * spike * Math.exp(wobble));
    }
  }
  return out;
}

function scenario(kind: CaseKind, noise: NoiseLevel, random: Random): { s: Scenario; note: string } {
  const metric: MetricKind =
    kind === "spread"
      ? pick(random, ["LATENCY_P95", "LATENCY_P99", "THROUGHPUT"] as const)
      : kind === "zero-inflated" || kind === "zero-inflated-quiet"
        ? "ERROR_RATE"
        : pick(random, ["LATENCY_P95", "THROUGHPUT", "ERROR_RATE"] as const);
  const stepMs = pick(random, [15_000, 60_000]);
  const currentMs = stepMs === 15_000 ? 5 * MINUTE : 12 * MINUTE;
  const deployAt = 20 * DAY + Math.floor(random() * 1440) * MINUTE;
  // Most windows are judged soon after the deploy; "daily" ones hours later, when the time of day has moved.
  const gap = kind === "daily" ? uniform(random, 2, 10) * 60 * MINUTE : uniform(random, 5, 45) * MINUTE;
  const currentFrom = deployAt + Math.round(gap / stepMs) * stepMs;
  const sigma = SIGMA[noise];
  const level =
    metric === "ERROR_RATE"
      ? kind === "zero-inflated" || kind === "zero-inflated-quiet"
        ? pick(random, [0, 0, 0.0002, 0.001])
        : logUniform(random, 0.001, 0.02)
      : metric === "THROUGHPUT"
        ? logUniform(random, 20, 2000)
        : logUniform(random, 30, 800);
  const s: Scenario = {
    metric,
    level,
    sigma,
    requests: kind === "zero-inflated" || kind === "zero-inflated-quiet" ? pick(random, [50, 100, 200]) : REQUESTS[noise],
    phi: uniform(random, 0, 0.85),
    dailyAmplitude: metric === "THROUGHPUT" ? uniform(random, 0.2, 0.5) : uniform(random, 0.05, 0.25),
    dailyPhase: random() * DAY,
    stepMs,
    deployAt,
    currentFrom,
    currentTo: currentFrom + currentMs,
    change: () => 0,
    spreadFactor: () => 1,
    spikes: new Set(),
  };
  // A shift a person would label is visible above the noise: at least twice σ, and 6–50 % (errors: +1–5 points).
  const size = metric === "ERROR_RATE" ? uniform(random, 0.01, 0.05) : Math.max(2 * sigma, logUniform(random, 0.06, 0.5));
  const sizeText = metric === "ERROR_RATE" ? `+${(size * 100).toFixed(1)} points` : `${(size * 100).toFixed(1)}%`;
  const word = METRIC_INFO[metric].word;
  switch (kind) {
    case "shift":
      s.change = (t) => (t >= deployAt ? size : 0);
      return { s, note: `${word} worse by ${sizeText} from the deploy` };
    case "partial": {
      // The change lands inside the current window: 40–75 % of its samples are after it.
      const at = s.currentTo - Math.round((uniform(random, 0.4, 0.75) * currentMs) / stepMs) * stepMs;
      s.change = (t) => (t >= at ? size : 0);
      return { s, note: `${word} worse by ${sizeText} for the last ${Math.round((s.currentTo - at) / stepMs)} samples` };
    }
    case "drift": {
      // Slow drift from the deploy, reaching 1.5× `size` at the end of the current window.
      const span = s.currentTo - deployAt;
      s.change = (t) => (t >= deployAt ? (1.5 * size * (t - deployAt)) / span : 0);
      return { s, note: `${word} drifting worse, ${sizeText}×1.5 by the end` };
    }
    case "spread": {
      const factor = uniform(random, 3, 5);
      s.sigma = Math.max(sigma, 0.04);
      s.spreadFactor = (t) => (t >= deployAt ? factor : 1);
      return { s, note: `${word} spread ×${factor.toFixed(1)}` };
    }
    case "zero-inflated": {
      const p = uniform(random, 0.02, 0.08);
      s.change = (t) => (t >= deployAt ? p : 0);
      return { s, note: `errors +${(p * 100).toFixed(1)} points at ${s.requests} requests a sample` };
    }
    case "improvement":
      s.change = (t) => (t >= deployAt ? (metric === "ERROR_RATE" ? -Math.min(size, s.level) : -size / (1 + size)) : 0);
      return { s, note: `${word} better by ${sizeText}` };
    case "spike": {
      const count = 1 + Math.floor(random() * 2);
      for (let i = 0; i < count; i++) s.spikes.add(s.currentFrom + Math.floor(random() * (currentMs / stepMs)) * stepMs);
      return { s, note: `${count} spike(s) in the current window` };
    }
    case "daily":
      return {
        s,
        note: `${word} judged ${(gap / 60 / MINUTE).toFixed(1)} h after the deploy, daily amplitude ${s.dailyAmplitude.toFixed(2)}`,
      };
    default:
      return { s, note: `${word}, nothing changed` };
  }
}

/** The windows the incident page would load for a scenario; the week-earlier one exists for half of them. */
function windows(s: Scenario, random: Random): Pick<LabelledCase, "baselines" | "current"> {
  const day = () => 1 + 0.02 * gaussian(random);
  const pad = 10 * MINUTE;
  const seasonal = (name: "day-earlier" | "week-earlier") => {
    const offset = BASELINE_OFFSET_MS[name];
    const factor = day();
    return {
      name,
      values: sample(s, random, s.currentFrom - offset - pad, s.currentTo - offset + pad, factor, false),
      atPreDeploy: sample(s, random, s.deployAt - 60 * MINUTE - offset, s.deployAt - offset, factor, false),
    };
  };
  const baselines: LabelledCase["baselines"] = [
    { name: "pre-deploy", values: sample(s, random, s.deployAt - 60 * MINUTE, s.deployAt, 1, false) },
    seasonal("day-earlier"),
  ];
  if (random() < 0.5) baselines.push(seasonal("week-earlier"));
  return { baselines, current: sample(s, random, s.currentFrom, s.currentTo, 1, true) };
}

/** `perCell` cases for every kind × noise level, deterministic for `seed`. */
export function generateCorpus(perCell: number, seed: number): LabelledCase[] {
  const random = mulberry32(seed);
  const cases: LabelledCase[] = [];
  for (const kind of [...POSITIVE_KINDS, ...QUIET_KINDS])
    for (const noise of NOISE_LEVELS)
      for (let i = 0; i < perCell; i++) {
        const { s, note } = scenario(kind, noise, random);
        cases.push({
          kind,
          noise,
          metric: s.metric,
          regression: (POSITIVE_KINDS as readonly string[]).includes(kind),
          note,
          ...windows(s, random),
        });
      }
  return cases;
}

/** Does a verdict function call this case a regression? */
export type Judge = (c: LabelledCase) => boolean;

/** The function the incident page used before issue 18: Kayenta-style, pre-deploy baseline only, 10 % gate. */
export const judgeOld: Judge = (c) =>
  judgeMetric(c.baselines[0]?.values ?? [], c.current, { higherIsWorse: METRIC_INFO[c.metric].higherIsWorse }).verdict === "worse";

/** lib/metrics/verdict.ts with every baseline the case has. */
export const judgeNew: Judge = (c) => judgeVerdict(c.metric, c.baselines, c.current).verdict === "worse";

/** The new function given only the pre-deploy baseline: what a service without history gets. */
export const judgeNewPreDeployOnly: Judge = (c) => judgeVerdict(c.metric, c.baselines.slice(0, 1), c.current).verdict === "worse";

export type Score = {
  /** Recall per positive kind, and false-positive rate per quiet kind. */
  byKind: Record<CaseKind, number>;
  /** Recall over shift + partial, the headline figure of issue 18. */
  shiftRecall: number;
  /** Recall over every positive kind. */
  recall: number;
  /** Share of quiet windows not flagged. */
  specificity: number;
};

export function score(cases: readonly LabelledCase[], judge: Judge): Score {
  const flagged = cases.map((c) => ({ c, hit: judge(c) }));
  const share = (list: typeof flagged) => (list.length === 0 ? Number.NaN : list.filter((x) => x.hit).length / list.length);
  const byKind = Object.fromEntries(
    [...POSITIVE_KINDS, ...QUIET_KINDS].map((k) => [k, share(flagged.filter((x) => x.c.kind === k))]),
  ) as Record<CaseKind, number>;
  return {
    byKind,
    shiftRecall: share(flagged.filter((x) => x.c.kind === "shift" || x.c.kind === "partial")),
    recall: share(flagged.filter((x) => x.c.regression)),
    specificity: 1 - share(flagged.filter((x) => !x.c.regression)),
  };
}
