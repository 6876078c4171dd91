import type { Metadata } from "next";
import Link from "next/link";
import { AlertmanagerIntegrationForm } from "@/components/admin/alertmanager-integration-form";
import { RevokeAlertmanagerIntegration } from "@/components/admin/revoke-alertmanager-integration";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { listAlertmanagerIntegrations } from "@/lib/integrations/alertmanager/queries";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage() {
  const me = await requireUser();
  if (!can(me.role, "user:manage")) {
    return (
      <Card title="Integrations">
        <p className="text-sm">Only admins create and revoke integrations.</p>
      </Card>
    );
  }
  const integrations = await listAlertmanagerIntegrations();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Integrations</h1>
        <p className="text-sm text-muted">
          <Link href="/admin" className="underline">
            Users and audit log
          </Link>{" "}
          ·{" "}
          <Link href="/admin/api-tokens" className="underline">
            API tokens (deploy events)
          </Link>{" "}
          ·{" "}
          <Link href="/admin/notifications" className="underline">
            Notifications (outbound)
          </Link>
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Card title={`Alertmanager receivers (${integrations.length})`}>
          <p className="mb-3 text-sm text-muted">
            Alertmanager posts to <code className="font-mono">/api/v1/integrations/alertmanager</code> with the integration's token. A
            firing alert opens an incident on the service its label names, or joins the open one; a resolved alert is noted on the timeline.
          </p>
          {integrations.length === 0 ? (
            <p className="text-sm text-muted">No integrations yet.</p>
          ) : (
            <ul className="-my-2 divide-y divide-line">
              {integrations.map((i) => (
                <li key={i.id} className="flex flex-wrap items-center gap-3 py-2.5" data-testid={`integration-${i.name}`}>
                  <div className="min-w-48 flex-1 space-y-0.5">
                    <p className="text-sm font-medium">
                      {i.name} {i.revokedAt && <Badge tone="danger">revoked</Badge>}
                    </p>
                    <p className="text-xs text-muted">
                      <span className="font-mono">{i.prefix}…</span> · label <span className="font-mono">{i.serviceLabel}</span> ·{" "}
                      {i.defaultSeverity} · suspect window {i.suspectWindowMinutes} min · {i._count.alerts} alert states received
                    </p>
                    <p className="text-xs text-muted">
                      created <LocalTime iso={i.createdAt.toISOString()} />
                      {i.createdBy ? ` by ${i.createdBy.name}` : ""} · last used{" "}
                      {i.lastUsedAt ? <LocalTime iso={i.lastUsedAt.toISOString()} /> : "never"}
                    </p>
                  </div>
                  {!i.revokedAt && <RevokeAlertmanagerIntegration integration={{ id: i.id, name: i.name }} />}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Add an Alertmanager">
          <AlertmanagerIntegrationForm />
        </Card>
      </div>
    </div>
  );
}
