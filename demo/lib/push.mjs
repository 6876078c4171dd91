// Pushes samples to Backout's built-in metrics provider: POST {backoutUrl}/api/v1/metrics.
// Samples that could not be delivered (Backout not up yet, 5xx, timeout) stay in a bounded
// backlog and go with the next push. Failures are logged once per kind, not once per attempt.

/** @typedef {import("./aggregate.mjs").Sample} Sample */

export const MAX_BATCH_SAMPLES = 5000;

/**
 * POSTs one batch. Never throws: the outcome says what happened.
 * @param {{ backoutUrl: string, token?: string, samples: Sample[], timeoutMs?: number }} args
 * @returns {Promise<{ ok: true } | { ok: false, retry: boolean, kind: string, detail: string }>}
 */
export async function postSamples({ backoutUrl, token, samples, timeoutMs = 10_000 }) {
  let url;
  try {
    url = new URL("/api/v1/metrics", backoutUrl);
  } catch {
    return { ok: false, retry: false, kind: "bad-url", detail: `BACKOUT_URL ${JSON.stringify(backoutUrl)} is not a URL` };
  }
  /** @type {Record<string, string>} */
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ samples }), signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = /** @type {Error & { cause?: { code?: string } }} */ (e);
    if (err.name === "TimeoutError") return { ok: false, retry: true, kind: "timeout", detail: `no answer within ${timeoutMs / 1000}s` };
    const code = err.cause?.code ?? err.message;
    return { ok: false, retry: true, kind: `unreachable:${code}`, detail: `Backout is not reachable at ${url.origin} (${code})` };
  }
  const body = await res.text().catch(() => "");
  if (res.ok) return { ok: true };
  const detail = `${url.pathname} answered ${res.status}${body ? `: ${body.slice(0, 200)}` : ""}`;
  // 5xx, 408 and 429 are worth retrying; other 4xx would be rejected again (bad token, bad batch).
  const retry = res.status >= 500 || res.status === 408 || res.status === 429;
  return { ok: false, retry, kind: `http:${res.status}`, detail };
}

export class MetricsPusher {
  /**
   * @param {{ backoutUrl: string, token?: string, log?: (line: string) => void, maxBacklogMs?: number, now?: () => number }} options
   */
  constructor({ backoutUrl, token, log = console.log, maxBacklogMs = 10 * 60_000, now = Date.now }) {
    this.backoutUrl = backoutUrl;
    this.token = token;
    this.log = log;
    this.maxBacklogMs = maxBacklogMs;
    this.now = now;
    /** @type {Sample[]} */
    this.backlog = [];
    /** @type {string | null} */
    this.lastFailureKind = null;
    this.inFlight = false;
    this.stats = { pushed: 0, dropped: 0, failedAttempts: 0 };
  }

  /** Queues samples and sends everything queued. Resolves when the attempt is over; never rejects. @param {Sample[]} samples */
  async push(samples) {
    this.backlog.push(...samples);
    this.#trim();
    if (this.inFlight || this.backlog.length === 0) return;
    this.inFlight = true;
    try {
      while (this.backlog.length > 0) {
        const batch = this.backlog.slice(0, MAX_BATCH_SAMPLES);
        const outcome = await postSamples({ backoutUrl: this.backoutUrl, token: this.token, samples: batch });
        if (outcome.ok) {
          this.backlog.splice(0, batch.length);
          this.stats.pushed += batch.length;
          if (this.lastFailureKind !== null) this.log(`metrics push recovered: ${this.stats.pushed} samples delivered in total`);
          else if (this.stats.pushed === batch.length)
            this.log(`pushing live metrics to ${this.backoutUrl.replace(/\/$/, "")}/api/v1/metrics every 5 s`);
          this.lastFailureKind = null;
          continue;
        }
        this.stats.failedAttempts++;
        if (outcome.kind !== this.lastFailureKind) {
          const what = outcome.retry
            ? `keeping up to ${Math.round(this.maxBacklogMs / 60_000)} min of samples and retrying with the next batch`
            : "batch dropped";
          this.log(`metrics push failed: ${outcome.detail}; ${what}`);
          this.lastFailureKind = outcome.kind;
        }
        if (!outcome.retry) {
          this.backlog.splice(0, batch.length);
          this.stats.dropped += batch.length;
          continue;
        }
        break;
      }
    } catch (e) {
      // Never let a push take the process down.
      this.log(`metrics push failed unexpectedly: ${e instanceof Error ? e.message : e}`);
    } finally {
      this.inFlight = false;
    }
  }

  /** Drops samples older than the backlog window. */
  #trim() {
    const oldest = this.now() - this.maxBacklogMs;
    let keep = 0;
    while (keep < this.backlog.length && Date.parse(this.backlog[keep].ts) < oldest) keep++;
    if (keep > 0) {
      this.backlog.splice(0, keep);
      this.stats.dropped += keep;
    }
  }
}
