// The admin page's list of Alertmanager integrations (never their token hashes).
import "server-only";
import { getDb } from "@/lib/db";

export function listAlertmanagerIntegrations() {
  return getDb().alertmanagerIntegration.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      serviceLabel: true,
      defaultSeverity: true,
      suspectWindowMinutes: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { name: true } },
      _count: { select: { alerts: true } },
    },
  });
}
