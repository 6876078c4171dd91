// Helpers shared by the executors: config validation into plain-words NotConfiguredErrors, an
// ordered logger, body templates, secret redaction and abortable pauses.
import type { z } from "zod";
import type { ExecutorKind } from "@/generated/prisma/enums";
import { readBodyLimited } from "@/lib/http/body";
import { CONFIG_SCHEMAS, configIssues, PLACEHOLDER, type TEMPLATE_VALUES, unknownPlaceholder } from "./configs";
import { type ExecutionContext, type LogStream, NotConfiguredError } from "./types";

// ───────────────────────────── config ─────────────────────────────

/**
 * Parses a step's config with its kind's schema (configs.ts); on failure throws a
 * NotConfiguredError naming the first problem: "http step needs config.url (…)" for a missing
 * setting, "http step: config.timeoutMs: …" otherwise. `label` names the step ("postgres restore").
 */
export function parseConfig<K extends ExecutorKind>(kind: K, config: unknown, label?: string): z.output<(typeof CONFIG_SCHEMAS)[K]> {
  const result = CONFIG_SCHEMAS[kind].safeParse(config ?? {});
  if (result.success) return result.data as z.output<(typeof CONFIG_SCHEMAS)[K]>;
  throw new NotConfiguredError(configIssues(kind, config, label)[0].stepMessage);
}

// ───────────────────────────── logging ─────────────────────────────

export type Logger = {
  (stream: LogStream, line: string): void;
  /** Resolves once every line handed to ctx.log so far has been taken (async loggers included). */
  flush(): Promise<void>;
};

/** ctx.log, called in order and awaited in order; a logger that throws never breaks the step. */
export function orderedLogger(ctx: Pick<ExecutionContext, "log">, redact: (s: string) => string = (s) => s): Logger {
  let chain: Promise<void> = Promise.resolve();
  const log = ((stream: LogStream, line: string) => {
    const text = redact(line);
    chain = chain.then(async () => {
      try {
        await ctx.log(stream, text);
      } catch {
        // The log sink failing must not change the outcome of the step.
      }
    });
  }) as Logger;
  log.flush = () => chain;
  return log;
}

// ───────────────────────────── templates ─────────────────────────────

/**
 * Replaces {{incident.title}}, {{service.name}} and {{run.id}} from ctx.run; plain substitution, no
 * code is evaluated. `encode` encodes the values for the body's format (JSON string content for a
 * JSON body). An unknown placeholder, or one used without a run, is a configuration error.
 */
export function renderTemplate(
  kind: string,
  template: string,
  run: ExecutionContext["run"],
  encode: (v: string) => string = (v) => v,
): string {
  const unknown = unknownPlaceholder(template);
  if (unknown) throw new NotConfiguredError(`${kind} step: ${unknown}`);
  const values: Record<(typeof TEMPLATE_VALUES)[number], string | undefined> = {
    "incident.title": run?.incidentTitle,
    "service.name": run?.serviceName,
    "run.id": run?.id,
  };
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = values[name.toLowerCase() as (typeof TEMPLATE_VALUES)[number]];
    if (value === undefined) throw new NotConfiguredError(`${kind} step uses {{${name}}} but runs without an incident run`);
    return encode(value);
  });
}

export const jsonStringContent = (v: string): string => JSON.stringify(v).slice(1, -1);

// ───────────────────────────── secrets ─────────────────────────────

export const REDACTED = "[redacted]";

/** A function replacing every occurrence of any of the secrets (longest first) by [redacted]. */
export function redactor(secrets: readonly string[]): (s: string) => string {
  const list = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (s) => s;
  return (s) => list.reduce((text, secret) => text.split(secret).join(REDACTED), s);
}

/** A URL fit for a log line: no user info, every query value replaced. */
export function displayUrl(raw: string | URL): string {
  const url = new URL(raw.toString());
  url.username = "";
  url.password = "";
  const params = [...url.searchParams.keys()];
  url.search = "";
  const query = params.map((k) => `${encodeURIComponent(k)}=***`).join("&");
  return `${url.toString()}${query ? `?${query}` : ""}`;
}

// ───────────────────────────── time ─────────────────────────────

export class AbortedError extends Error {
  override name = "AbortedError";
}

/** Resolves after ms, or rejects with AbortedError as soon as the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortedError("aborted"));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError("aborted"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Races a promise against the signal (for APIs that take no signal). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError("aborted"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export const abortedResult = (what: string) => ({ ok: false, summary: `aborted ${what}`, output: { aborted: true } });

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? cause.message : undefined;
    return causeText && causeText !== e.message ? `${e.message}: ${causeText}` : e.message;
  }
  return String(e);
}

/** Reads at most `limit` bytes of a response body as text, then cancels the rest. */
export async function readBodyPrefix(res: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  const { bytes, truncated } = await readBodyLimited(res.body, limit);
  // Cut at the limit without splitting a UTF-8 sequence (a partial character at the cut is dropped).
  const text = bytes
    .subarray(0, limit)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return { text, truncated };
}
