// What a step will do, in words for the confirmation dialog: the exact target, no secrets.
import type { ExecutorKind } from "@/generated/prisma/enums";
import { formatMetricValue } from "@/lib/metrics/format";

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function describeStep(executor: ExecutorKind, config: Record<string, unknown>): string {
  switch (executor) {
    case "HTTP":
      return config.url ? `${str(config.method) || "GET"} ${str(config.url)}` : "an HTTP call that is not configured yet";
    case "COMMAND":
      return Array.isArray(config.argv) && config.argv.length
        ? `run ${config.argv.map(String).join(" ")}`
        : "a command that is not configured yet";
    case "POSTGRES":
      return `PostgreSQL ${str(config.operation) || "operation"}${config.databaseUrlEnv ? ` on the database in ${str(config.databaseUrlEnv)}` : ""}`;
    case "HEALTH_CHECK": {
      const urls = Array.isArray(config.urls)
        ? config.urls.map((u) => (typeof u === "string" ? u : str((u as { url?: unknown }).url)))
        : [];
      return urls.length ? `probe ${urls.join(", ")}` : "health probes that are not configured yet";
    }
    case "WAIT":
      return `wait ${Number(config.seconds) || "?"} s`;
    case "VERIFY_METRICS":
      return `check the service's current metrics (error rate under ${formatMetricValue("ERROR_RATE", Number(config.maxErrorRate ?? 0.05))}, p99 under ${formatMetricValue("LATENCY_P99", Number(config.maxP99Ms ?? 200))})`;
    case "NOTIFY":
      if (config.destination) return `post a message to the notification destination ${str(config.destination)}`;
      return config.webhookUrlEnv
        ? `post a message to the webhook in ${str(config.webhookUrlEnv)}`
        : "a notification that is not configured yet";
    case "FLAG_DISABLE":
      return config.flag && config.environment && config.baseUrl
        ? `turn the feature flag ${str(config.flag)} off in ${str(config.environment)} (project ${str(config.project) || "default"}) at ${str(config.baseUrl)}`
        : "a feature-flag switch-off that is not configured yet";
  }
}
