// Alertmanager webhook payloads for tests of the receiver and of its OpenAPI description.

/** A payload as Alertmanager 0.25 sends it (webhook format version 4). */
export function alertmanagerPayload(
  slug: string,
  alert: { status: "firing" | "resolved"; fingerprint: string; startsAt: string; endsAt?: string; alertname?: string },
) {
  const labels = { alertname: alert.alertname ?? "HighErrorRate", service: slug, severity: "critical", job: "checkout" };
  const annotations = { summary: "5xx ratio above 5% for 2 minutes", description: "Checkout answers 7.2% errors." };
  return {
    receiver: "backout",
    status: alert.status,
    alerts: [
      {
        status: alert.status,
        labels,
        annotations,
        startsAt: alert.startsAt,
        endsAt: alert.endsAt ?? "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus.example:9090/graph?g0.expr=job%3Acheckout_errors%3Aratio5m+%3E+0.05&g0.tab=1",
        fingerprint: alert.fingerprint,
      },
    ],
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: "http://alertmanager.example:9093",
    version: "4",
    groupKey: `{}:{alertname="${labels.alertname}"}`,
    truncatedAlerts: 0,
  };
}
