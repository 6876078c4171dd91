// The one interface every rollback-step executor implements. An executor either does the real
// thing (an HTTP call, a command, pg_dump / pg_restore, probes, a pause, a metrics comparison, a
// webhook) and says how it went, or refuses before doing anything:
// - NotConfiguredError: the step's config (or a server environment variable it names) is missing
//   or invalid; the message says exactly what to set.
// - RefusedError: the config is fine but a precondition of a destructive step does not hold
//   (a restore without a successful emergency backup); nothing was touched.
// A step that ran and failed returns { ok: false } with what went wrong in `summary`.
import type { Materiality } from "@/lib/metrics/materiality";
import type { MetricKind, MetricsProvider } from "@/lib/metrics/types";
import type { ProcessTracking } from "./process";

export type LogStream = "STDOUT" | "STDERR" | "INFO";

export type ExecutionContext = {
  /** Aborted when the run is aborted: executors stop promptly and return { ok: false, output: { aborted: true } }. */
  signal: AbortSignal;
  /** Every output line, as it happens. Calls are made in order; an async logger is awaited in order too. */
  log: (stream: LogStream, line: string) => void | Promise<void>;
  /** Server environment (secrets referenced by name live here). */
  env: Record<string, string | undefined>;
  /** For steps that need to know about the service/incident (verify-metrics, notify, report). */
  metrics?: {
    provider: MetricsProvider;
    /** The pre-deploy window the evidence compares with (lib/metrics/verdict-windows.ts). */
    baselineWindow: { from: number; to: number };
    /** When this run's traffic switch (else restore) succeeded (lib/rollback/switch-anchor.ts); null before it. */
    switchedAt: number | null;
    /** The service's verdict materiality (Service.verdictMateriality resolved over the defaults). */
    materiality: Record<MetricKind, Materiality>;
  };
  run?: { id: string; incidentTitle: string; serviceName: string };
  /** Where backups go; the postgres executor writes emergency backups here. */
  workDir: string;
  /** Results of earlier steps of the same run, by step key (e.g. the emergency backup path). */
  previous: Record<string, StepResult | undefined>;
  /** Every process the step starts is reported here as it starts (the worker records its pid and group). */
  process?: ProcessTracking;
};

export type StepResult = {
  ok: boolean;
  summary: string;
  output?: Record<string, unknown>;
  httpStatus?: number;
  exitCode?: number;
};

/** Thrown before doing anything when config is missing or invalid; the message says exactly what is missing. */
export class NotConfiguredError extends Error {
  override name = "NotConfiguredError";
}

/** Thrown before doing anything when a precondition of the step does not hold; nothing was touched. */
export class RefusedError extends Error {
  override name = "RefusedError";
}

export type Executor = (config: unknown, ctx: ExecutionContext) => Promise<StepResult>;
