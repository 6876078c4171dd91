// How deliveries are tried: attempts, backoff and the per-attempt timeout, from the environment
// (README "Notifications"); the tests pass their own, smaller ones to the job runner.
export type DeliverySettings = {
  /** Attempts before a delivery is marked FAILED. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** One attempt's limit: connecting, sending and the answer. */
  timeoutMs: number;
};

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = { maxAttempts: 8, backoffMs: 5_000, maxBackoffMs: 600_000, timeoutMs: 10_000 };

function whole(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  return n;
}

export function deliverySettingsFromEnv(env: Record<string, string | undefined> = process.env): DeliverySettings {
  const d = DEFAULT_DELIVERY_SETTINGS;
  return {
    maxAttempts: whole(env, "BACKOUT_NOTIFY_MAX_ATTEMPTS", d.maxAttempts, 1, 50),
    backoffMs: whole(env, "BACKOUT_NOTIFY_BACKOFF_MS", d.backoffMs, 10, 3_600_000),
    maxBackoffMs: d.maxBackoffMs,
    timeoutMs: whole(env, "BACKOUT_NOTIFY_TIMEOUT_MS", d.timeoutMs, 100, 120_000),
  };
}

/** Where Backout is served, for links in notifications; null when not configured. */
export function publicBaseUrl(env: Record<string, string | undefined> = process.env): string | null {
  const raw = env.BACKOUT_PUBLIC_URL || env.AUTH_URL;
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}
