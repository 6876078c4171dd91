// One HTTP attempt at a destination: POST, no redirects followed, a time limit, and the receiver's
// answer kept short and with the destination's credentials (URL path, query, secret) redacted.
// Used by the delivery job and the runbook's notify step.
import "server-only";
import { errorText, readBodyPrefix, redactor } from "@/lib/rollback/executors/shared";

export type AttemptResult = { ok: boolean; status: number | null; answer: string; timedOut?: boolean };

const ANSWER_MAX = 500;

/** Redacts what is secret in a destination: its whole URL, path and query, and its signing secret. */
export function destinationRedactor(rawUrl: string, secret: string | null): (s: string) => string {
  let parts: string[] = [];
  try {
    const url = new URL(rawUrl);
    parts = [url.pathname.length > 1 ? url.pathname : "", url.search.length > 1 ? url.search.slice(1) : "", url.password];
  } catch {
    // Not a URL: only the raw text is redacted.
  }
  return redactor([rawUrl, ...parts, secret ?? ""]);
}

export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export async function postToDestination(
  rawUrl: string,
  request: { body: string; headers: Record<string, string> },
  opts: { timeoutMs: number; secret: string | null; signal?: AbortSignal },
): Promise<AttemptResult> {
  const redact = destinationRedactor(rawUrl, opts.secret);
  if (!isHttpUrl(rawUrl)) return { ok: false, status: null, answer: "The destination's URL is not http(s)." };
  const host = new URL(rawUrl).host;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(rawUrl, {
      method: "POST",
      headers: { "user-agent": "Backout-Notifications/1", ...request.headers },
      body: request.body,
      // A redirect is an answer, not a new destination: the admin chose this URL.
      redirect: "manual",
      cache: "no-store",
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
    const { text, truncated } = await readBodyPrefix(res, ANSWER_MAX);
    const body = redact(text).slice(0, ANSWER_MAX) + (truncated ? "…" : "");
    const ok = res.status >= 200 && res.status < 300;
    const location = res.status >= 300 && res.status < 400 ? res.headers.get("location") : null;
    const answer = `${host} answered ${res.status}${location ? " (a redirect, not followed)" : ""}${body ? `: ${body}` : ""}`;
    return { ok, status: res.status, answer };
  } catch (e) {
    if (timeout.aborted) return { ok: false, status: null, answer: `${host} gave no answer within ${opts.timeoutMs} ms`, timedOut: true };
    return { ok: false, status: null, answer: `could not reach ${host}: ${redact(errorText(e)).slice(0, ANSWER_MAX)}` };
  }
}
