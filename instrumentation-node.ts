// Start-up work of a Node.js server instance (imported by instrumentation.ts).
import { MetricItemEvaluator } from "@/lib/checklist/evaluator";
import { applyRetention } from "@/lib/metrics/ingest";
import { StepWorker } from "@/lib/rollback/engine/worker";

const RETENTION_INTERVAL_MS = 15 * 60_000;

if (!process.env.AUTH_SECRET) {
  console.error(
    "[backout] AUTH_SECRET is not set. Every instance needs the same random secret (e.g. `openssl rand -base64 32`); `npm start` generates one for local demos.",
  );
  process.exit(1);
}

// Every instance may run it: the DELETE is idempotent, so no leader election is needed.
const sweep = () =>
  applyRetention().catch((e: unknown) => console.error("[backout] metrics retention sweep failed", e instanceof Error ? e.message : e));
setTimeout(sweep, 30_000).unref();
setInterval(sweep, RETENTION_INTERVAL_MS).unref();

// Rollback steps run here, in any instance: executions are claimed with SKIP LOCKED, and a step
// left RUNNING by a dead instance becomes INTERRUPTED for an operator to decide.
if (process.env.BACKOUT_WORKER !== "0") {
  void new StepWorker().start();
}

// Metric items of open verification checklists tick themselves here, in any instance: a tick is
// recorded against the item's version, so instances evaluating together record it once.
if (process.env.BACKOUT_CHECKLIST_EVALUATOR !== "0") {
  new MetricItemEvaluator(Number(process.env.BACKOUT_CHECKLIST_EVALUATE_MS ?? 15_000)).start();
}
