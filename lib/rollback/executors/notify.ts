// Notify step: POST {"text": …} to a chat webhook (Slack, Mattermost, Teams connectors, …) whose
// URL lives in a server environment variable, or to a destination an admin configured under
// Admin → Notifications (config.destination, by name: its format and signing secret apply). Webhook
// URLs are credentials: the URL is never logged nor returned, only its host. With config.report,
// the text is followed by the outcome of every earlier step of the run (the rollback report).
import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db";
import { SIGNATURE_HEADER, signature, TIMESTAMP_HEADER } from "@/lib/notifications/format";
import { postToDestination } from "@/lib/notifications/send";
import type { NotifyConfig } from "./configs";
import { abortedResult, errorText, orderedLogger, parseConfig, readBodyPrefix, redactor, renderTemplate } from "./shared";
import { type ExecutionContext, type Executor, NotConfiguredError, type StepResult } from "./types";

export const DEFAULT_NOTIFY_TEXT = "Rollback of {{service.name}} for the incident “{{incident.title}}” (run {{run.id}})";

export { type NotifyConfig, notifyConfigSchema } from "./configs";

function messageText(c: NotifyConfig, ctx: ExecutionContext): string {
  const text = renderTemplate("notify", c.text ?? DEFAULT_NOTIFY_TEXT, ctx.run);
  if (!c.report) return text;
  const steps = Object.entries(ctx.previous).filter(([, r]) => r !== undefined);
  const lines = steps.map(([key, r]) =>
    r?.output?.skipped === true ? `• ${key}: ${r.summary}` : `• ${key}: ${r?.ok ? "done" : "FAILED"}: ${r?.summary}`,
  );
  return [text, ...(lines.length > 0 ? lines : ["(no steps have run)"])].join("\n");
}

/** To a configured destination: a Slack-format { text } or a signed JSON body, as the destination says. */
async function notifyDestination(name: string, c: NotifyConfig, ctx: ExecutionContext): Promise<StepResult> {
  const destination = await getDb().notificationDestination.findUnique({
    where: { name },
    select: { url: true, urlHost: true, secret: true, format: true, disabledAt: true },
  });
  if (!destination) throw new NotConfiguredError(`notify: there is no notification destination named “${name}” (Admin → Notifications)`);
  if (destination.disabledAt) throw new NotConfiguredError(`notify: the notification destination “${name}” is disabled`);
  const text = messageText(c, ctx);
  const redact = redactor([destination.url, destination.secret ?? ""]);
  const log = orderedLogger(ctx, redact);
  log("INFO", `posting to the destination “${name}” (${destination.urlHost})`);
  let request: { body: string; headers: Record<string, string> };
  if (destination.format === "SLACK" || !destination.secret) {
    request = { body: JSON.stringify({ text }), headers: { "content-type": "application/json" } };
  } else {
    const body = JSON.stringify({
      id: randomUUID(),
      event: "runbook.notify",
      occurredAt: new Date().toISOString(),
      message: text,
      run: ctx.run ? { id: ctx.run.id, incidentTitle: ctx.run.incidentTitle, service: ctx.run.serviceName } : null,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    request = {
      body,
      headers: {
        "content-type": "application/json",
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signature(destination.secret, timestamp, body),
        "X-Backout-Event": "runbook.notify",
      },
    };
  }
  const attempt = await postToDestination(destination.url, request, {
    timeoutMs: c.timeoutMs,
    secret: destination.secret,
    signal: ctx.signal,
  });
  let result: StepResult;
  if (ctx.signal.aborted) result = abortedResult("while notifying");
  else
    result = {
      ok: attempt.ok,
      summary: attempt.ok ? `notified “${name}” (${attempt.answer})` : `the destination “${name}” failed: ${attempt.answer}`,
      ...(attempt.status !== null ? { httpStatus: attempt.status } : {}),
      output: { destination: name, host: destination.urlHost, status: attempt.status, answer: attempt.answer, text },
    };
  log("INFO", result.summary);
  await log.flush();
  return result;
}

export const notifyExecutor: Executor = async (config, ctx): Promise<StepResult> => {
  const c = parseConfig("NOTIFY", config);
  if (c.destination !== undefined) return notifyDestination(c.destination, c, ctx);
  const env = c.webhookUrlEnv as string;
  const webhook = ctx.env[env];
  if (!webhook) throw new NotConfiguredError(`notify needs the environment variable ${env} (a webhook URL)`);
  let url: URL;
  try {
    url = new URL(webhook);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    throw new NotConfiguredError(`the environment variable ${env} must hold an http:// or https:// webhook URL`);
  }

  const text = messageText(c, ctx);

  const redact = redactor([webhook, url.pathname.length > 1 ? url.pathname : "", url.search.length > 1 ? url.search.slice(1) : ""]);
  const log = orderedLogger(ctx, redact);
  log("INFO", `posting to the webhook in $${env} (${url.host})`);
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
