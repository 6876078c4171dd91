// Benchmark 4: how well the verdict functions separate regressions from quiet windows on the labelled
// corpus of bench/verdict-corpus.ts. Old (statistics.ts judgeMetric) and new (verdict.ts judgeVerdict,
// with and without the seasonal baselines) are scored in the same run on the same cases.
//   npx tsx bench/verdicts.bench.ts            # 200 cases per kind × noise level
//   BENCH_CASES=50 BENCH_SEED=7 BENCH_SHOW=shift npx tsx bench/verdicts.bench.ts
import { performance } from "node:perf_hooks";
import {
  type CaseKind,
  generateCorpus,
  type Judge,
  judgeNew,
  judgeNewPreDeployOnly,
  judgeOld,
  NOISE_LEVELS,
  POSITIVE_KINDS,
  QUIET_KINDS,
  score,
} from "./verdict-corpus";

const perCell = Number(process.env.BENCH_CASES ?? 200);
const seed = Number(process.env.BENCH_SEED ?? 20261218);
const show = process.env.BENCH_SHOW as CaseKind | undefined;

const started = performance.now();
const cases = generateCorpus(perCell, seed);
const generatedMs = performance.now() - started;

const judges: [string, Judge][] = [
  ["old: judgeMetric (pre-deploy only, 10 % gate)", judgeOld],
  ["new: judgeVerdict, pre-deploy only", judgeNewPreDeployOnly],
  ["new: judgeVerdict, all baselines", judgeNew],
];
const pct = (x: number) => (Number.isNaN(x) ? "—" : `${(x * 100).toFixed(1)} %`);

console.log(`corpus: ${cases.length} cases (${perCell} per kind × noise level), seed ${seed}, generated in ${generatedMs.toFixed(0)} ms\n`);
const rows: string[][] = [];
for (const [name, judge] of judges) {
  const t = performance.now();
  const s = score(cases, judge);
  const perCase = ((performance.now() - t) / cases.length).toFixed(2);
  rows.push([
    name,
    pct(s.shiftRecall),
    pct(s.recall),
    pct(s.specificity),
    ...POSITIVE_KINDS.map((k) => pct(s.byKind[k])),
    ...QUIET_KINDS.map((k) => pct(1 - s.byKind[k])),
    `${perCase} ms`,
  ]);
}
const header = [
  "function",
  "shift+partial recall",
  "all recall",
  "specificity",
  ...POSITIVE_KINDS.map((k) => `${k} recall`),
  ...QUIET_KINDS.map((k) => `${k} quiet`),
  "per case",
];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);

console.log("\nby noise level (new, all baselines / old):");
for (const noise of NOISE_LEVELS) {
  const subset = cases.filter((c) => c.noise === noise);
  const n = score(subset, judgeNew);
  const o = score(subset, judgeOld);
  console.log(
    `  ${noise.padEnd(4)} shift+partial recall ${pct(n.shiftRecall)} / ${pct(o.shiftRecall)}, specificity ${pct(n.specificity)} / ${pct(o.specificity)}`,
  );
}

if (show) {
  console.log(`\ncases of kind "${show}" the new function gets wrong:`);
  for (const c of cases.filter((x) => x.kind === show && judgeNew(x) !== x.regression).slice(0, 20))
    console.log(`  [${c.noise}] ${c.note} (${c.current.length} current samples)`);
}
