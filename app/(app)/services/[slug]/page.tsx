import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeploymentsList } from "@/components/deployments/deployments-list";
import { RunbooksList } from "@/components/runbooks/runbooks-list";
import { ChecklistTemplateForm } from "@/components/services/checklist-template-form";
import { FeaturesEditor } from "@/components/services/features-editor";
import { MaterialityForm } from "@/components/services/materiality-form";
import { MetricsSettingsForm } from "@/components/services/metrics-settings-form";
import { ThresholdsForm } from "@/components/services/thresholds-form";
import { TokensPanel } from "@/components/services/tokens-panel";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { DEFAULT_TEMPLATE } from "@/lib/checklist/template-schema";
import { getServiceTemplate } from "@/lib/checklist/template-store";
import { listServiceDeployments } from "@/lib/deployments/queries";
import { defaultQueries } from "@/lib/metrics/prometheus";
import type { MetricKind } from "@/lib/metrics/types";
import { STRATEGY_LABELS } from "@/lib/rollback/plans";
import { listRunbooks } from "@/lib/runbooks/queries";
import { getServiceBySlug } from "@/lib/services/queries";

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: (await params).slug };
}

function safeDefaults(selector: string): Record<MetricKind, string> {
  try {
    return defaultQueries(selector);
  } catch {
    return defaultQueries("");
  }
}

export default async function ServicePage({ params }: Params) {
  const user = await requireUser();
  const service = await getServiceBySlug((await params).slug);
  if (!service) notFound();
  const canEdit = can(user.role, "service:configure");
  const template = await getServiceTemplate(service.id);
  const runbooks = await listRunbooks(service.id);
  const deployments = await listServiceDeployments(service.id);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/services" className="text-sm text-muted hover:text-fg">
          ← Services
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">{service.name}</h1>
        <p className="text-sm text-muted">{service.description || "No description."}</p>
        {!canEdit && <p className="mt-2 text-sm text-muted">Only admins change service settings; you are seeing them read-only.</p>}
      </div>
      <Card title="Deploys">
        <DeploymentsList
          deployments={deployments.map((d) => ({
            id: d.id,
            version: d.version,
            previousVersion: d.previousVersion,
            environment: d.environment,
            deployedAt: d.deployedAt.toISOString(),
            commit: d.commitSha,
            link: d.link,
            by: d.deployedBy?.name ?? null,
            suspected: d.suspectedAt !== null,
          }))}
        />
      </Card>
      <Card title="Runbooks">
        <RunbooksList slug={service.slug} runbooks={runbooks} canEdit={canEdit} strategyLabels={STRATEGY_LABELS} />
      </Card>
      {/* items-start: a short card keeps its own height instead of stretching to its neighbour's. */}
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <Card title="Metrics">
            <MetricsSettingsForm
              canEdit={canEdit}
              defaults={safeDefaults(service.prometheusSelector)}
              service={{ ...service, prometheusQueries: service.prometheusQueries as Partial<Record<MetricKind, string>> }}
            />
          </Card>
          <Card title="Verification checklist">
            <ChecklistTemplateForm
              serviceId={service.id}
              version={template.version}
              custom={template.custom}
              itemsJson={JSON.stringify(template.items, null, 2)}
              defaultJson={JSON.stringify(DEFAULT_TEMPLATE, null, 2)}
              canEdit={canEdit}
              summary={`${template.items.length} items${template.updatedBy ? `, last saved by ${template.updatedBy}` : ""}; each critical feature becomes one item.`}
            />
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Decision thresholds">
            <ThresholdsForm
              serviceId={service.id}
              version={service.version}
              canEdit={canEdit}
              current={service.decisionThresholds as Record<string, number>}
            />
          </Card>
          <Card title="Verdict materiality">
            <MaterialityForm
              serviceId={service.id}
              version={service.version}
              canEdit={canEdit}
              current={service.verdictMateriality as Record<string, Record<string, number>>}
            />
          </Card>
          <Card title="Critical features">
            <FeaturesEditor serviceId={service.id} features={service.criticalFeatures} canEdit={canEdit} />
          </Card>
          {canEdit && (
            <Card title="Ingestion tokens">
              <TokensPanel
                serviceId={service.id}
                canEdit={canEdit}
                tokens={service.ingestionTokens.map((t) => ({
                  id: t.id,
                  name: t.name,
                  prefix: t.prefix,
                  createdAt: t.createdAt.toISOString(),
                  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
                  revokedAt: t.revokedAt?.toISOString() ?? null,
                  createdBy: t.createdBy?.name ?? null,
                }))}
              />
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
