// Command step: a runbook command defined by an admin (never typed by a user), run from its argv
// without a shell, in its own process group so that a timeout or an abort ends everything it
// started. Every output line goes to the step's log as it arrives. The command sees only the base
// environment and the variables its step names (environment.ts), never the server's; secrets reach
// it as environment variables copied by name from the server's (config.secretEnv), and their
// values, like the server's own secrets, are redacted from its log lines and output.
import { childEnv, stepRedactor } from "./environment";
import { type ProcessOutcome, runProcess, TAIL_LINES } from "./process";
import { orderedLogger, parseConfig } from "./shared";
import { type Executor, NotConfiguredError, type StepResult } from "./types";

export { type CommandConfig, commandConfigSchema } from "./configs";

/** The common wording of a process that did not succeed, or undefined when it exited 0. */
export function processFailure(o: ProcessOutcome, timeoutMs: number, program: string): string | undefined {
  if (o.spawnError) return `could not start ${program} (${o.spawnError})`;
  if (o.aborted) return `aborted${o.pid !== undefined ? `, ${program} stopped` : ""}`;
  if (o.timedOut) return `timed out after ${timeoutMs} ms`;
  if (o.exitSignal) return `${program} was ended by ${o.exitSignal}`;
  if (o.exitCode !== 0) return `${program} exited with code ${o.exitCode}`;
  return undefined;
}

export const commandExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("COMMAND", config);
  const program = c.argv[0];
  const secretEnv: Record<string, string> = {};
  for (const [variable, envName] of Object.entries(c.secretEnv)) {
    const value = ctx.env[envName];
    if (!value) throw new NotConfiguredError(`command step needs the environment variable ${envName} (for the command's ${variable})`);
    secretEnv[variable] = value;
  }
  const redact = stepRedactor("COMMAND", c, ctx.env);
  const log = orderedLogger(ctx, redact);
  log("INFO", `$ ${c.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(" ")}`);

  const o = await runProcess({
    argv: c.argv,
    cwd: c.cwd,
    env: childEnv(ctx.env, { ...c.env, ...secretEnv }),
    timeoutMs: c.timeoutMs,
    signal: ctx.signal,
    track: ctx.process,
    onLine: (stream, line) => log(stream, line),
  });
  const failure = processFailure(o, c.timeoutMs, program);
  log("INFO", failure ?? `exited with code 0 in ${o.durationMs} ms`);
  if (o.timedOut || o.aborted) log("INFO", `stopped the process group${o.killed ? " (SIGKILL after the grace period)" : ""}`);
  await log.flush();

  const output: Record<string, unknown> = {
    argv: c.argv.map(redact),
    pid: o.pid ?? null,
    pgid: o.pgid ?? null,
    exitCode: o.exitCode,
    ...(o.exitSignal ? { signal: o.exitSignal } : {}),
    durationMs: o.durationMs,
    lastLines: o.tail.slice(-TAIL_LINES).map(redact),
    ...(o.timedOut ? { timedOut: true } : {}),
    ...(o.aborted ? { aborted: true } : {}),
  };
  return {
    ok: failure === undefined,
    summary: failure ?? `${program} exited with code 0`,
    output,
    ...(o.exitCode !== null ? { exitCode: o.exitCode } : {}),
  };
};
