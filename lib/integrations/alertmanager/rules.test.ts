import { describe, expect, it } from "vitest";
import { alertIncidentFields, alertSummary, severityOf } from "./rules";
import type { WebhookAlert } from "./schemas";

const alert = (over: Partial<WebhookAlert> = {}): WebhookAlert => ({
  status: "firing",
  labels: { alertname: "HighErrorRate", service: "checkout" },
  annotations: { summary: "5xx above 5%" },
  startsAt: "2026-12-05T12:00:00Z",
  generatorURL: "",
  fingerprint: "abc123",
  ...over,
});

describe("Alertmanager rules", () => {
  it("names the alert by its name and summary", () => {
    expect(alertSummary(alert())).toBe("HighErrorRate — 5xx above 5%");
    expect(alertSummary(alert({ annotations: {} }))).toBe("HighErrorRate");
  });

  it("takes a known severity label, else the default", () => {
    expect(severityOf({ severity: "critical" }, "SEV3")).toBe("SEV1");
    expect(severityOf({ severity: "Warning" }, "SEV1")).toBe("SEV3");
    expect(severityOf({ severity: "sev4" }, "SEV1")).toBe("SEV4");
    expect(severityOf({ severity: "whatever" }, "SEV2")).toBe("SEV2");
    expect(severityOf({}, "SEV2")).toBe("SEV2");
  });

  it("takes versions and the deploy time from the deploy; without one, says unknown and starts at the alert", () => {
    const now = new Date("2026-12-05T12:05:00Z");
    const deploy = { version: "v2", previousVersion: "v1", deployedAt: new Date("2026-12-05T11:50:00Z") };
    const withDeploy = alertIncidentFields(alert(), { deploy, suspect: true, defaultSeverity: "SEV2", now });
    expect(withDeploy).toMatchObject({ badVersion: "v2", previousVersion: "v1", deployedAt: "2026-12-05T11:50:00.000Z" });
    expect(withDeploy.summary).toMatch(/Suspect deploy: v2, 10 min before the alert/);
    const none = alertIncidentFields(alert(), { deploy: null, suspect: false, defaultSeverity: "SEV2", now });
    expect(none).toMatchObject({ badVersion: "unknown", previousVersion: "unknown-previous", deployedAt: "2026-12-05T12:00:00.000Z" });
    // An alert that says it starts in the future is detected now, not later.
    const future = alertIncidentFields(alert({ startsAt: "2026-12-05T13:00:00Z" }), {
      deploy: null,
      suspect: false,
      defaultSeverity: "SEV2",
      now,
    });
    expect(future).toMatchObject({ detectedAt: now.toISOString(), deployedAt: now.toISOString() });
  });
});
