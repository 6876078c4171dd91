#!/usr/bin/env node
// `prisma`, but with a schema engine that needs no download (see README.md):
//   node tools/prisma-engine/prisma.mjs migrate deploy
// All arguments go to the Prisma CLI unchanged; the exit code is the CLI's.
// BACKOUT_PRISMA_ENGINE=native (or your own PRISMA_SCHEMA_ENGINE_BINARY) keeps Prisma's engine.
import { spawn } from "node:child_process";
import { PRISMA_CLI, prismaEnv } from "./run.mjs";

const child = spawn(process.execPath, [PRISMA_CLI, ...process.argv.slice(2)], {
  env: prismaEnv(process.env),
  // Inherited stdio keeps the CLI's TTY detection and prompts (migrate dev/reset) working.
  stdio: "inherit",
});

// Ctrl-C reaches the child through the terminal's process group; a signal sent to this
// process only (e.g. by a supervisor) is passed on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}

child.on("error", (e) => {
  console.error(`Could not start the Prisma CLI (${PRISMA_CLI}): ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // Die of the same signal so callers see the same status as with `prisma` itself.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
