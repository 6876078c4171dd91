// Flag-disable step: turns one feature flag off in one environment through Unleash's admin API,
// then reads the flag back and succeeds only when the flag service itself says it is off.
//   POST {baseUrl}/api/admin/projects/{project}/features/{flag}/environments/{environment}/off
//   GET  {baseUrl}/api/admin/projects/{project}/features/{flag}/environments/{environment}
// both with the header `Authorization: <admin API token>` (Unleash admin API, "Disable a feature
// flag" and "Get a feature environment": https://docs.getunleash.io/api/toggle-feature-environment-off;
// the read answers a featureEnvironmentSchema, whose `enabled` is the flag's state there; 401/403
// for a missing or insufficient token, 404 for an unknown project, flag or environment).
// The token is read from the server environment variable the runbook names; it never reaches a log
// line or the step's output (an answer echoing it is redacted). Redirects are not followed, so the
// token never travels to another host.
import { featureEnvironmentUrl } from "./configs";
import { abortedResult, errorText, orderedLogger, parseConfig, readBodyPrefix, redactor } from "./shared";
import { type Executor, NotConfiguredError, type StepResult } from "./types";

export { type FlagDisableConfig, flagDisableConfigSchema } from "./configs";

const BODY_LIMIT_BYTES = 2048;

/** What a refused answer means, in the words of Unleash's documented responses. */
const STATUS_MEANING: Record<number, string> = {
  400: "the request was not what the flag service expects",
  401: "the API token is missing or not valid",
  403: "the API token may not change this flag",
  404: "no such project, flag or environment",
};

export const flagDisableExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("FLAG_DISABLE", config);
  const token = ctx.env[c.tokenEnv];
  if (!token) throw new NotConfiguredError(`flag-disable step needs the environment variable ${c.tokenEnv} (an Unleash admin API token)`);
  if (/[\r\n\0]/.test(token))
    throw new NotConfiguredError(`flag-disable step: the environment variable ${c.tokenEnv} does not hold a valid token`);

  const featureEnvironment = featureEnvironmentUrl(c);
  const host = new URL(c.baseUrl).host;
  const where = `${c.flag} in ${c.environment} (project ${c.project}, ${host})`;
  // "Bearer <token>" or "<project>:<env>.<secret>": the token and its parts after a space are secrets.
  const redact = redactor([token, ...(/^\S+\s+(\S.*)$/.exec(token)?.slice(1) ?? [])]);
  const log = orderedLogger(ctx, redact);
  const output: Record<string, unknown> = { flag: c.flag, project: c.project, environment: c.environment, host };
  const timeout = AbortSignal.timeout(c.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);

  const call = async (method: "POST" | "GET", url: string) => {
    const res = await fetch(url, {
      method,
      headers: { authorization: token, accept: "application/json" },
      redirect: "manual",
      cache: "no-store",
      signal,
    });
    const { text } = await readBodyPrefix(res, BODY_LIMIT_BYTES);
    return { status: res.status, ok: res.status >= 200 && res.status < 300, body: redact(text) };
  };
  const refused = (what: string, answer: { status: number; body: string }): StepResult => {
    const meaning = STATUS_MEANING[answer.status];
    const summary = `${what}: the flag service answered ${answer.status}${meaning ? ` (${meaning})` : ""}${answer.body ? `: ${answer.body.slice(0, 200)}` : ""}`;
    log("INFO", summary);
    return { ok: false, summary, httpStatus: answer.status, output };
  };

  let result: StepResult;
  try {
    log("INFO", `turning ${where} off: POST …/environments/${c.environment}/off`);
    const off = await call("POST", `${featureEnvironment}/off`);
    Object.assign(output, { offStatus: off.status });
    log("INFO", `the flag service answered ${off.status}`);
    if (!off.ok) {
      result = refused(`could not turn ${where} off`, off);
    } else {
      log("INFO", `reading ${c.flag} back: GET …/environments/${c.environment}`);
      const read = await call("GET", featureEnvironment);
      Object.assign(output, { readStatus: read.status });
      if (!read.ok) {
        result = refused(`turned ${where} off, but could not read it back`, read);
      } else {
        let enabled: unknown;
        try {
          enabled = (JSON.parse(read.body) as { enabled?: unknown }).enabled;
        } catch {
          enabled = undefined;
        }
        if (typeof enabled !== "boolean") {
          result = { ok: false, summary: `the flag service's answer for ${where} does not say whether it is on (no "enabled")`, output };
        } else {
          Object.assign(output, { enabled });
          result = enabled
            ? { ok: false, summary: `${where} is still on after the flag service accepted turning it off`, httpStatus: read.status, output }
            : { ok: true, summary: `${c.flag} is off in ${c.environment} (read back from ${host})`, httpStatus: read.status, output };
        }
        log("INFO", result.summary);
      }
    }
  } catch (e) {
    if (ctx.signal.aborted) result = abortedResult(`while turning ${c.flag} off`);
    else if (timeout.aborted)
      result = { ok: false, summary: `the flag service gave no answer within ${c.timeoutMs} ms`, output: { ...output, timedOut: true } };
    else {
      const message = redact(errorText(e));
      result = { ok: false, summary: `could not reach the flag service at ${host}: ${message}`, output: { ...output, error: message } };
    }
    log("INFO", result.summary);
  }
  await log.flush();
  return result;
};
