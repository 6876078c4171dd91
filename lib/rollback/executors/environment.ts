// What a step may see of the server's environment. A process a step starts (a command, pg_dump,
// pg_restore) gets an explicit environment: a minimal base (PATH, HOME, LANG) plus the variables
// its runbook step names, never the server's own (which holds AUTH_SECRET, enough to forge a
// session, and DATABASE_URL). And whatever a step prints or returns is cleaned of the values of
// every secret it could have come near, before it is stored where any role can read it. Pure.
import type { ExecutorKind } from "@/generated/prisma/enums";
import { configEnvRefs } from "./configs";
import { redactor } from "./shared";

/** The only server variables a started process inherits: where programs are, whose home, which language. */
export const BASE_ENV = ["PATH", "HOME", "LANG"] as const;

/** The server's own secrets, redacted from every step's output whether or not a runbook names them. */
export const SERVER_SECRETS = ["AUTH_SECRET", "DATABASE_URL", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"] as const;

/**
 * Server variables whose name says credential (AUTH_OIDC_SECRET, SLACK_TOKEN, PGPASSWORD …) are
 * treated as server secrets too. Only whole-word endings: a looser match (any "auth") would
 * redact values like "true" out of every line.
 */
const SECRET_SUFFIX = /(^|_)(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|ACCESS_KEY)$|^PGPASSWORD$/i;

/**
 * A variable found only by its name's ending is redacted when its value is at least this long:
 * replacing "1" or "on" in every line would make logs unreadable and protect nothing. Variables
 * named as secrets (SERVER_SECRETS, the step's config) are redacted whatever their length.
 */
export const MIN_GUESSED_SECRET_CHARS = 6;

/** The environment of a process a step starts: the base from the server, then the step's own variables. */
export function childEnv(server: Record<string, string | undefined>, own: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BASE_ENV) {
    const value = server[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...own };
}

/** A secret value and the parts of it a program may print on their own (a URL's password). */
function secretForms(value: string): string[] {
  const forms = [value];
  try {
    const url = new URL(value);
    if (url.password) forms.push(url.password, decodeURIComponent(url.password));
  } catch {
    // Not a URL: the value itself is the secret.
  }
  return forms;
}

/**
 * Every value to keep out of a step's stored output: the server's secrets and the variables the
 * step's config names (secret headers, secret environment, the database and webhook URLs).
 */
export function stepSecrets(kind: ExecutorKind, config: unknown, server: Record<string, string | undefined>): string[] {
  const named = new Set<string>([...SERVER_SECRETS, ...configEnvRefs(kind, config).map((ref) => ref.name)]);
  const values: string[] = [];
  for (const [name, value] of Object.entries(server)) {
    if (!value) continue;
    if (named.has(name) || (SECRET_SUFFIX.test(name) && value.length >= MIN_GUESSED_SECRET_CHARS)) values.push(...secretForms(value));
  }
  return values;
}

/** A function that redacts every secret of the step (see stepSecrets) from a line. */
export function stepRedactor(kind: ExecutorKind, config: unknown, server: Record<string, string | undefined>): (s: string) => string {
  return redactor(stepSecrets(kind, config, server));
}

/** Applies `redact` to every string inside a JSON-like value (a step's output), keys included. */
export function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  // Plain records only: a Date or a Buffer is kept as it is (it holds no text to leak).
  if (value && typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)])) as T;
  }
  return value;
}
