// A worker in its own process, for the crash-safety test (run with
// `node --conditions=react-server --import tsx lib/rollback/engine/test-worker.ts` and DATABASE_URL).
// Prints "ready <workerId>" once polling.
import { StepWorker } from "./worker";

const worker = new StepWorker({ pollMs: 100, heartbeatMs: 500 });
await worker.start();
console.log(`ready ${worker.workerId}`);
process.on("SIGTERM", () => {
  void worker.stop().then(() => process.exit(0));
});
