// Runbooks reference secrets only by the NAME of a server environment variable. These checks
// find secret values written into a step's settings anyway: values that look like credentials,
// and literal values under names that say "credential" (Authorization, DB_PASSWORD, ?token=).
// Pure; a false positive costs a rename, a false negative leaks a credential, so they lean strict.

const SECRET_VALUES: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\b(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/i, "a credential (Bearer/Basic …)"],
  [/\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/, "a GitHub token"],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, "a GitLab token"],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/, "a Slack webhook URL"],
  [/\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,}/, "a Stripe key"],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, "a JSON Web Token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i, "a URL with a password in it"],
];

/** Names under which a literal value is a credential: headers, environment variables, query parameters, JSON keys, flags. */
const SECRET_NAME =
  /(^|[-_.])(pass(word|wd|phrase)?|pwd|secrets?|token|api[-_]?key|apikey|access[-_]?key|secret[-_]?key|private[-_]?key|credentials?|auth|authorization|cookie|session|sig|signature)($|[-_.])/i;

/** What a value that looks like a secret looks like ("a Slack token"), or undefined. */
export function secretLookalike(value: string): string | undefined {
  for (const [re, what] of SECRET_VALUES) if (re.test(value)) return what;
  return undefined;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || /^(authorization|proxy-authorization|cookie|set-cookie|pgpassword)$/i.test(name);
}

/** A URL's credentials: user info, or a query parameter whose name says secret. */
export function urlSecret(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.password || url.username) return "a user name or password in the URL";
  for (const [name, value] of url.searchParams) if (value && isSecretName(name)) return `a credential in the URL's ?${name}=`;
  return undefined;
}

/** JSON-ish `"password": "hunter2"` in a body template (a {{placeholder}} value is fine). */
export function bodySecret(body: string): string | undefined {
  for (const m of body.matchAll(/"([^"\\]{1,60})"\s*:\s*"([^"\\]*)"/g)) {
    if (isSecretName(m[1]) && m[2] !== "" && !/^\{\{.*\}\}$/.test(m[2])) return `a literal "${m[1]}"`;
  }
  return undefined;
}

/** argv entries that carry a secret: --password=x, password=x, or the value after --token. */
export function argvSecrets(argv: readonly unknown[]): { index: number; what: string }[] {
  const found: { index: number; what: string }[] = [];
  argv.forEach((arg, index) => {
    if (typeof arg !== "string") return;
    const assigned = /^-{0,2}([A-Za-z][\w.-]*)=(.+)$/.exec(arg);
    if (assigned && isSecretName(assigned[1])) found.push({ index, what: `a literal ${assigned[1]}` });
    const previous = argv[index - 1];
    if (typeof previous === "string" && /^--[A-Za-z][\w-]*$/.test(previous) && isSecretName(previous.slice(2)) && !arg.startsWith("-")) {
      found.push({ index, what: `the value of ${previous}` });
    }
  });
  return found;
}

/** Every string in a config, with its path (for the generic look-alike scan). */
export function stringLeaves(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"]);
/** Shell commands that print every variable: env / printenv alone, set, export -p, declare -p / -x. */
const PRINTS_ALL = /(^|[;&|(\n`]|\$\()\s*(env|printenv|set|export\s+-p|declare\s+-[px]+|typeset\s+-[px]+)\s*($|[;&|)\n>`])/;

/**
 * Where a command step prints one of its secret variables (names as the command sees them):
 * `env` or `printenv` as the program, `printenv X`, or, inside a `sh -c` script, `echo $X`,
 * `printf … ${X}`, `printenv X` or a bare `env` / `set`. The value is redacted from the log anyway;
 * this tells the author before a secret ends up somewhere the redaction cannot follow.
 */
export function printedSecrets(argv: readonly unknown[], secretNames: readonly string[]): { index: number; what: string }[] {
  if (secretNames.length === 0 || argv.some((a) => typeof a !== "string")) return [];
  const args = argv as readonly string[];
  const program = args[0]?.split("/").pop() ?? "";
  const all = (index: number, how: string) => [{ index, what: `${how} prints every variable, ${secretNames.join(", ")} included` }];
  if (program === "printenv") {
    const named = args.slice(1).filter((a) => !a.startsWith("-"));
    if (named.length === 0) return all(0, "printenv");
    return named.filter((n) => secretNames.includes(n)).map((n) => ({ index: args.indexOf(n), what: `printenv ${n} prints ${n}` }));
  }
  if (program === "env" && args.slice(1).every((a) => a.startsWith("-") || a.includes("="))) return all(0, "env");
  const found: { index: number; what: string }[] = [];
  const script = SHELLS.has(program) ? args.findIndex((a, i) => i > 0 && !a.startsWith("-")) : -1;
  if (script === -1) return found;
  const text = args[script];
  if (PRINTS_ALL.test(text)) return all(script, `the script's ${PRINTS_ALL.exec(text)?.[2]}`);
  for (const name of secretNames) {
    const printed = new RegExp(`\\b(echo|printf)\\b[^;&|\\n]*\\$\\{?${name}\\b|\\bprintenv\\s+([\\w\\s]*\\s)?${name}\\b`).exec(text);
    if (printed) found.push({ index: script, what: `${printed[1] ?? "printenv"} prints ${name}` });
  }
  return found;
}
