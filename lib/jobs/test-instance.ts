// An app-like instance for the cluster test (jobs.int.test.ts): the job runner exactly as
// instrumentation-node.ts starts it, from the same environment variables, in its own process and
// pool. Run with `node --conditions=react-server --import tsx lib/jobs/test-instance.ts` and
// DATABASE_URL. Prints "ready" once running and "ran <task> <due time>" after each job it ran.
import { getDb } from "@/lib/db";
import { installJobSchema, jobRunnerOptionsFromEnv, startJobRunner } from "./runner";

const options = jobRunnerOptionsFromEnv();
if (!options) throw new Error("BACKOUT_JOBS=0: this instance would run nothing");
await installJobSchema();
// Warm, as an instance that has served requests is: the first query of a process sets up the client.
await getDb().$queryRaw`SELECT 1`;
// Polls often so a job scheduled for later is taken close to its time (the app's default is 2 s).
const jobs = await startJobRunner({ ...options, pollIntervalMs: 100 });
jobs.events.on("job:success", ({ job }) => console.log(`ran ${job.task_identifier} ${job.run_at.toISOString()}`));
console.log("ready");
process.on("SIGTERM", () => {
  void jobs.stop().then(() => process.exit(0));
});
