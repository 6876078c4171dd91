// Notify step: POST {"text": …} to a chat webhook (Slack, Mattermost, Teams connectors, …) whose
// URL lives in a server environment variable, as webhook URLs are credentials: the URL is never
// logged nor returned, only its host. With config.report, the text is followed by the outcome of
// every earlier step of the run (the rollback report).
import { abortedResult, errorText, orderedLogger, parseConfig, readBodyPrefix, redactor, renderTemplate } from "./shared";
import { type Executor, NotConfiguredError, type StepResult } from "./types";

export const DEFAULT_NOTIFY_TEXT = "Rollback of {{service.name}} for the incident “{{incident.title}}” (run {{run.id}})";

export { type NotifyConfig, notifyConfigSchema } from "./configs";

export const notifyExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("NOTIFY", config);
  const webhook = ctx.env[c.webhookUrlEnv];
  if (!webhook) throw new NotConfiguredError(`notify needs the environment variable ${c.webhookUrlEnv} (a webhook URL)`);
  let url: URL;
  try {
    url = new URL(webhook);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    throw new NotConfiguredError(`the environment variable ${c.webhookUrlEnv} must hold an http:// or https:// webhook URL`);
  }

  let text = renderTemplate("notify", c.text ?? DEFAULT_NOTIFY_TEXT, ctx.run);
  if (c.report) {
    const steps = Object.entries(ctx.previous).filter(([, r]) => r !== undefined);
    const lines = steps.map(([key, r]) =>
      r?.output?.skipped === true ? `• ${key}: ${r.summary}` : `• ${key}: ${r?.ok ? "done" : "FAILED"}: ${r?.summary}`,
    );
    text = [text, ...(lines.length > 0 ? lines : ["(no steps have run)"])].join("\n");
  }

  const redact = redactor([webhook, url.pathname.length > 1 ? url.pathname : "", url.search.length > 1 ? url.search.slice(1) : ""]);
  const log = orderedLogger(ctx, redact);
  log("INFO", `posting to the webhook in $${c.webhookUrlEnv} (${url.host})`);
  const timeout = AbortSignal.timeout(c.timeoutMs);
  let result: StepResult;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.any([ctx.signal, timeout]),
    });
    const body = redact((await readBodyPrefix(res, 2048)).text);
    log("INFO", `webhook answered ${res.status}`);
    const output = { host: url.host, status: res.status, body, text };
    result =
      res.status >= 200 && res.status < 300
        ? { ok: true, summary: `notified (${url.host} answered ${res.status})`, httpStatus: res.status, output }
        : {
            ok: false,
            summary: `the webhook answered ${res.status}${body ? `: ${body.slice(0, 200)}` : ""}`,
            httpStatus: res.status,
            output,
          };
  } catch (e) {
    if (ctx.signal.aborted) result = abortedResult("while notifying");
    else if (timeout.aborted)
      result = { ok: false, summary: `the webhook gave no answer within ${c.timeoutMs} ms`, output: { host: url.host, timedOut: true } };
    else {
      const message = redact(errorText(e));
      result = { ok: false, summary: `could not reach the webhook at ${url.host}: ${message}`, output: { host: url.host, error: message } };
    }
    log("INFO", result.summary);
  }
  await log.flush();
  return result;
};
