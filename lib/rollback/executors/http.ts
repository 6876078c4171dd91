// HTTP step: one request to a router, feature-flag service or deploy system. Secrets are named
// in config and read from the server environment; their values never reach a log line or the
// step's output (a response echoing one is redacted). Redirects are not followed (a 3xx is a
// status like any other), so a secret header never travels to another host.
import {
  abortedResult,
  displayUrl,
  errorText,
  jsonStringContent,
  orderedLogger,
  parseConfig,
  readBodyPrefix,
  redactor,
  renderTemplate,
} from "./shared";
import { type Executor, NotConfiguredError, type StepResult } from "./types";

export const BODY_LIMIT_BYTES = 2048;

export { type HttpConfig, httpConfigSchema } from "./configs";

export const httpExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("HTTP", config);

  const headers = new Headers(c.headers);
  const secrets: string[] = [];
  for (const [header, envName] of Object.entries(c.secretHeaders)) {
    const value = ctx.env[envName];
    if (!value) throw new NotConfiguredError(`http step needs the environment variable ${envName} (for the ${header} header)`);
    try {
      headers.set(header, value);
    } catch {
      // The TypeError would quote the value.
      throw new NotConfiguredError(`http step: the environment variable ${envName} does not hold a valid value for the ${header} header`);
    }
    // "Bearer <token>": the token alone is a secret too, should a response echo it.
    secrets.push(value, ...(/^\S+\s+(\S.*)$/.exec(value)?.slice(1) ?? []));
  }
  const redact = redactor(secrets);
  const isJson = (headers.get("content-type") ?? "").toLowerCase().includes("json");
  const body = c.body === undefined ? undefined : renderTemplate("http", c.body, ctx.run, isJson ? jsonStringContent : undefined);
  const expected = Array.isArray(c.expectedStatus) ? c.expectedStatus : [c.expectedStatus];
  const expectedText = expected.join(" or ");

  const log = orderedLogger(ctx, redact);
  const shownUrl = displayUrl(c.url);
  const output: Record<string, unknown> = { method: c.method, url: shownUrl };
  log("INFO", `${c.method} ${shownUrl}`);

  const timeout = AbortSignal.timeout(c.timeoutMs);
  const started = performance.now();
  let result: StepResult;
  try {
    const res = await fetch(c.url, {
      method: c.method,
      headers,
      body,
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.any([ctx.signal, timeout]),
    });
    const { text, truncated } = await readBodyPrefix(res, BODY_LIMIT_BYTES);
    const latencyMs = Math.round(performance.now() - started);
    const bodyText = redact(text);
    log("INFO", `answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""} in ${latencyMs} ms`);
    Object.assign(output, { status: res.status, latencyMs, body: bodyText, ...(truncated ? { bodyTruncated: true } : {}) });
    if (expected.includes(res.status)) {
      result = { ok: true, summary: `answered ${res.status}`, httpStatus: res.status, output };
    } else {
      if (bodyText) log("INFO", `body: ${bodyText.slice(0, 500)}`);
      result = { ok: false, summary: `answered ${res.status}, expected ${expectedText}`, httpStatus: res.status, output };
    }
  } catch (e) {
    if (ctx.signal.aborted) {
      log("INFO", "aborted");
      result = abortedResult(`during ${c.method} ${shownUrl}`);
    } else if (timeout.aborted) {
      log("INFO", `no answer within ${c.timeoutMs} ms`);
      result = { ok: false, summary: `no answer within ${c.timeoutMs} ms`, output: { ...output, timedOut: true } };
    } else {
      const message = redact(errorText(e));
      log("INFO", `request failed: ${message}`);
      result = { ok: false, summary: `could not reach ${new URL(c.url).host}: ${message}`, output: { ...output, error: message } };
    }
  }
  await log.flush();
  return result;
};
