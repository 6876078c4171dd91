// Runs the Prisma CLI with the WebAssembly schema engine stand-in (see README.md).
// Used by prisma.mjs (the command line wrapper) and by Node code that needs `migrate deploy`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** Absolute path of the stand-in engine executable. */
export const ENGINE_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), "schema-engine.mjs");

/** Absolute path of the Prisma CLI entry point (what the `prisma` bin runs). */
export const PRISMA_CLI = require.resolve("prisma/build/index.js");

/**
 * The environment for a Prisma CLI run: PRISMA_SCHEMA_ENGINE_BINARY points at the stand-in,
 * unless the caller chose an engine already (their own PRISMA_SCHEMA_ENGINE_BINARY) or asked for
 * Prisma's native engine with BACKOUT_PRISMA_ENGINE=native (downloaded by Prisma as usual).
 */
export function prismaEnv(env = process.env) {
  const out = { ...env };
  if (out.BACKOUT_PRISMA_ENGINE === "native" || out.PRISMA_SCHEMA_ENGINE_BINARY) return out;
  out.PRISMA_SCHEMA_ENGINE_BINARY = ENGINE_PATH;
  return out;
}

/**
 * Runs `prisma <args>` in a child process and resolves with its exit code and output.
 * options.env replaces process.env (pass `{ ...process.env, DATABASE_URL }` to extend it);
 * options.stdio "inherit" streams to the terminal instead of capturing (stdout/stderr are then "").
 * Never rejects for a non-zero exit code; check `code`.
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, stdio?: "pipe" | "inherit", input?: string }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runPrisma(args, options = {}) {
  const { env = process.env, cwd = process.cwd(), stdio = "pipe", input } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, ...args], {
      cwd,
      // No update check: it would try to reach the internet.
      env: { PRISMA_HIDE_UPDATE_MESSAGE: "1", ...prismaEnv(env) },
      stdio: stdio === "inherit" ? "inherit" : [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    if (input !== undefined) child.stdin?.end(input);
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
