import type { Metadata } from "next";
import Link from "next/link";
import { ServiceReadiness } from "@/components/readiness/service-readiness";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { requireUser } from "@/lib/auth/session";
import { listServices } from "@/lib/services/queries";

export const metadata: Metadata = { title: "Services" };

export default async function ServicesPage() {
  await requireUser();
  const services = await listServices();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Services</h1>
      {services.length === 0 && <p className="text-sm text-muted">No services yet.</p>}
      <ul className="grid gap-4 md:grid-cols-2">
        {services.map((s) => (
          <li key={s.id} className="rounded-lg border border-line bg-surface p-4">
            <div className="flex items-start justify-between gap-3">
              <div>
                <h2 className="font-semibold">
                  <Link href={`/services/${s.slug}`} className="hover:underline">
                    {s.name}
                  </Link>
                </h2>
                <p className="text-xs text-muted">{s.ownerTeam ? `Owned by ${s.ownerTeam}` : "No owner team"}</p>
              </div>
              <Badge tone="info">{s.metricsProvider === "PROMETHEUS" ? "Prometheus" : "Built-in metrics"}</Badge>
            </div>
            {s.description && <p className="mt-2 text-sm">{s.description}</p>}
            <ServiceReadiness serviceId={s.id} />
            <dl className="mt-3 grid grid-cols-2 gap-2 text-sm">
              <dt className="text-muted">Latest release</dt>
              <dd className="font-mono">
                {s.releases[0] ? (
                  <>
                    {s.releases[0].version}{" "}
                    <span className="font-sans text-xs text-muted">
                      (<LocalTime iso={s.releases[0].deployedAt.toISOString()} />)
                    </span>
                  </>
                ) : (
                  "—"
                )}
              </dd>
              <dt className="text-muted">Baseline / current window</dt>
              <dd>
                {s.baselineWindowMinutes} min / {s.currentWindowMinutes} min
              </dd>
              <dt className="text-muted">Availability target</dt>
              <dd>{s.availabilityTarget}%</dd>
              <dt className="text-muted">Incidents</dt>
              <dd>{s._count.incidents}</dd>
            </dl>
            {s.criticalFeatures.length > 0 && (
              <div className="mt-3">
                <p className="text-xs uppercase tracking-wide text-muted">Critical features</p>
                <ul className="mt-1 flex flex-wrap gap-1.5">
                  {s.criticalFeatures.map((f) => (
                    <li key={f.id}>
                      <Badge>{f.name}</Badge>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
