// What an Alertmanager alert says, in Backout's words. Pure.
import type { Severity } from "@/generated/prisma/enums";
import type { WebhookAlert } from "./schemas";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** "HighErrorRate — Checkout 5xx above 5 %" (the alert's name and its summary annotation). */
export function alertSummary(alert: WebhookAlert): string {
  const name = alert.labels.alertname ?? "alert";
  const summary = alert.annotations.summary ?? alert.annotations.description;
  return clip(summary ? `${name} — ${summary}` : name, 300);
}

/** The alert's own severity label when it names one Backout knows, else the integration's default. */
export function severityOf(labels: Record<string, string>, fallback: Severity): Severity {
  const value = (labels.severity ?? "").trim().toLowerCase();
  const named: Record<string, Severity> = {
    sev1: "SEV1",
    critical: "SEV1",
    page: "SEV1",
    sev2: "SEV2",
    major: "SEV2",
    error: "SEV2",
    sev3: "SEV3",
    warning: "SEV3",
    minor: "SEV3",
    sev4: "SEV4",
    info: "SEV4",
  };
  return named[value] ?? fallback;
}

const UNKNOWN = "unknown";

/**
 * The declare form's fields for an incident an alert opens. The versions and the deploy time come
 * from the latest deploy before the alert (the suspect when inside the window); without one they
 * say unknown and the deploy time is the alert's start, for responders to correct.
 */
export function alertIncidentFields(
  alert: WebhookAlert,
  context: {
    deploy: { version: string; previousVersion: string | null; deployedAt: Date } | null;
    suspect: boolean;
    defaultSeverity: Severity;
    now: Date;
  },
) {
  const { deploy } = context;
  const badVersion = deploy?.version ?? UNKNOWN;
  const previousVersion = deploy?.previousVersion && deploy.previousVersion !== badVersion ? deploy.previousVersion : `${UNKNOWN}-previous`;
  const title = alertSummary(alert);
  // A clock ahead of ours must not make the alert start in the future.
  const detectedAt = new Date(Math.min(Date.parse(alert.startsAt), context.now.getTime()));
  return {
    title: clip(title.length >= 5 ? title : `Alert ${title}`, 200),
    badVersion,
    previousVersion,
    severity: severityOf(alert.labels, context.defaultSeverity),
    deployedAt: (deploy?.deployedAt ?? detectedAt).toISOString(),
    detectedAt: detectedAt.toISOString(),
    summary: clip(
      [
        alert.annotations.description,
        context.suspect && deploy
          ? `Suspect deploy: ${deploy.version}, ${Math.round((Date.parse(alert.startsAt) - deploy.deployedAt.getTime()) / 60_000)} min before the alert.`
          : null,
        deploy && !context.suspect ? `The latest deploy (${deploy.version}) is older than the suspect window: check the versions.` : null,
        !deploy ? "No deploy of this service is recorded before the alert: fill in the versions and the deploy time." : null,
      ]
        .filter(Boolean)
        .join("\n\n"),
      5000,
    ),
  };
}
