// Which provider serves a service's metrics.
import "server-only";
import type { Service } from "@/generated/prisma/client";
import { BuiltinProvider } from "./builtin";
import { PrometheusProvider, resolveQueries } from "./prometheus";
import { type MetricKind, type MetricsProvider, MetricsUnavailableError } from "./types";

type ProviderConfig = Pick<Service, "id" | "metricsProvider" | "prometheusUrl" | "prometheusSelector" | "prometheusQueries">;

/** Native resolution of each source, used for the baseline and current windows. */
export function nativeStepSeconds(service: Pick<Service, "metricsProvider">): number {
  return service.metricsProvider === "PROMETHEUS" ? 15 : 5;
}

export function providerFor(service: ProviderConfig): MetricsProvider {
  if (service.metricsProvider === "PROMETHEUS") {
    if (!service.prometheusUrl) {
      throw new MetricsUnavailableError("no Prometheus address is configured for this service (an admin sets it under Services)");
    }
    const overrides = (service.prometheusQueries ?? {}) as Partial<Record<MetricKind, string>>;
    return new PrometheusProvider({
      baseUrl: service.prometheusUrl ?? "",
      queries: resolveQueries(service.prometheusSelector, overrides),
    });
  }
  return new BuiltinProvider(service.id);
}
