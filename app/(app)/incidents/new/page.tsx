import type { Metadata } from "next";
import Link from "next/link";
import { DeclareIncidentForm } from "@/components/incidents/declare-incident-form";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { getLatestReleases, listServiceOptions } from "@/lib/incidents/queries";

export const metadata: Metadata = { title: "Declare incident" };

export default async function DeclareIncidentPage() {
  const user = await requireUser();
  if (!can(user.role, "incident:declare")) {
    return (
      <Card title="Declare incident">
        <p className="text-sm">
          Stakeholders can follow incidents but not declare them. Ask a responder, or{" "}
          <Link href="/incidents" className="underline">
            go back to the incident list
          </Link>
          .
        </p>
      </Card>
    );
  }
  const [services, releases] = await Promise.all([listServiceOptions(), getLatestReleases()]);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div>
        <Link href="/incidents" className="text-sm text-muted hover:text-fg">
          ← Incidents
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Declare incident</h1>
        <p className="text-sm text-muted">Choosing a service fills in its latest deploy; correct it if the bad release is another one.</p>
      </div>
      <Card>
        <DeclareIncidentForm services={services} releases={releases.map((r) => ({ ...r, deployedAt: r.deployedAt.toISOString() }))} />
      </Card>
    </div>
  );
}
