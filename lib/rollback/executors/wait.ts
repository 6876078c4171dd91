// Wait step: a bounded pause (1..600 s), e.g. for traffic changes to propagate; an abort ends it at once.
import { AbortedError, orderedLogger, parseConfig, pause } from "./shared";
import type { Executor, StepResult } from "./types";

export { waitConfigSchema } from "./configs";

export const waitExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("WAIT", config);
  const log = orderedLogger(ctx);
  log("INFO", `waiting ${c.seconds} s`);
  const started = performance.now();
  try {
    await pause(c.seconds * 1000, ctx.signal);
  } catch (e) {
    if (!(e instanceof AbortedError)) throw e;
    const waited = Math.round((performance.now() - started) / 100) / 10;
    log("INFO", `aborted after ${waited} s`);
    await log.flush();
    return { ok: false, summary: `aborted after ${waited} s of ${c.seconds} s`, output: { aborted: true, waitedSeconds: waited } };
  }
  log("INFO", `waited ${c.seconds} s`);
  await log.flush();
  return { ok: true, summary: `waited ${c.seconds} s`, output: { waitedSeconds: c.seconds } };
};
