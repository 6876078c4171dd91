// Waiting out a database that does not answer: which errors mean "unreachable for now" (worth
// trying again) rather than "this write is wrong", and a back-off that keeps trying.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  // Prisma: cannot reach the server, timed out reaching it, the server closed the connection, no pool connection in time.
  "P1001",
  "P1002",
  "P1017",
  "P2024",
]);
const CONNECTION_TEXT =
  /connection terminated|can't reach database|server closed the connection|connection (?:refused|reset|closed|timeout)|timeout exceeded when trying to connect|terminating connection|the database system is (?:starting up|shutting down)|ECONNREFUSED|ECONNRESET|DatabaseNotReachable|ConnectionClosed/i;

/** True when the error (or one of its causes) says the database could not be reached or dropped the connection. */
export function isConnectionError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 6; depth++) {
    if (typeof cur !== "object") return CONNECTION_TEXT.test(String(cur));
    const o = cur as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
    if (typeof o.code === "string" && (CONNECTION_CODES.has(o.code) || /^(08|57P0)/.test(o.code))) return true;
    if (typeof o.message === "string" && CONNECTION_TEXT.test(o.message)) return true;
    if (typeof o.kind === "string" && CONNECTION_TEXT.test(o.kind)) return true;
    cur = o.cause;
  }
  return false;
}

export type BackOff = { firstMs?: number; maxMs?: number };

/** The wait before attempt n (1-based): doubling from firstMs up to maxMs. */
export function backOffDelay(attempt: number, { firstMs = 250, maxMs = 5000 }: BackOff = {}): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs `write` until it succeeds. While the database is unreachable it tries again for ever, with
 * back-off (the write is the only record of something that happened); any other error is tried
 * `otherAttempts` times in all, then thrown (a write that is wrong will not become right).
 */
export async function untilDatabaseAnswers<T>(
  write: () => Promise<T>,
  opts: BackOff & { otherAttempts?: number; onRetry?: (e: unknown, attempt: number, waitMs: number) => void } = {},
): Promise<T> {
  const otherAttempts = opts.otherAttempts ?? 3;
  let others = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!isConnectionError(e) && ++others >= otherAttempts) throw e;
      const wait = backOffDelay(attempt, opts);
      opts.onRetry?.(e, attempt, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Its digest reaches the page's error boundary unchanged (Next keeps an error's own digest), which then says "database unavailable". */
export const DATABASE_UNAVAILABLE_DIGEST = "BACKOUT_DATABASE_UNAVAILABLE";

/** The database did not answer a read, tried twice. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  readonly digest = DATABASE_UNAVAILABLE_DIGEST;
  constructor(cause: unknown) {
    super("The database is unavailable.", { cause });
  }
}
