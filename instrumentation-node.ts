// Start-up work of a Node.js server instance (imported by instrumentation.ts).

import { warmIncidentPage } from "@/lib/incidents/warm";
import { installJobSchema, jobRunnerOptionsFromEnv, startJobRunner } from "@/lib/jobs/runner";
import { StepWorker } from "@/lib/rollback/engine/worker";

if (!process.env.AUTH_SECRET) {
  console.error(
    "[backout] AUTH_SECRET is not set. Every instance needs the same random secret (e.g. `openssl rand -base64 32`); `npm start` generates one for local demos.",
  );
  process.exit(1);
}

// Background jobs (lib/jobs): checklist metric evaluation, rollback summaries, retention. Each job
// runs in one instance of the cluster; the schema is installed first, even where no runner starts
// (BACKOUT_JOBS=0), because this instance's transactions add jobs. Awaited: no request is served
// before a transaction can enqueue.
const jobOptions = jobRunnerOptionsFromEnv();
await installJobSchema();
if (jobOptions) {
  const jobs = await startJobRunner(jobOptions);
  // Stop taking jobs at once and let the running ones finish; a job cut short by the process
  // exiting is retried by another instance once graphile-worker deems its lock stale.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void jobs.stop());
}

// Rollback steps run here, in any instance: executions are claimed with SKIP LOCKED, and a step
// left RUNNING by a dead instance becomes INTERRUPTED for an operator to decide.
if (process.env.BACKOUT_WORKER !== "0") {
  void new StepWorker().start();
}

// The first incident page after a start reads as fast as the next ones (lib/incidents/warm.ts): its
// reads run once now, in the background, never holding the start or failing it.
void warmIncidentPage().then(
  (warmed) => warmed && console.log(`[backout] read INC-${warmed.number}'s page once to warm the server (${warmed.ms} ms)`),
  (e: unknown) =>
    console.error(
      `[backout] warming the incident page's reads failed (only the first page is slower): ${e instanceof Error ? e.message : String(e)}`,
    ),
);
