// The admin page's list of Alertmanager integrations (never their token hashes).
import "server-only";
import { getDb } from "@/lib/db";
import { INTEGRATION_SETTINGS } from "./tokens";

export function listAlertmanagerIntegrations() {
  return getDb().alertmanagerIntegration.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      ...INTEGRATION_SETTINGS,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { name: true } },
      _count: { select: { alerts: true } },
    },
  });
}
