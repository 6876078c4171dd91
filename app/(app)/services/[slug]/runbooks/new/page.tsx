import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunbookEditor } from "@/components/runbooks/runbook-editor";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { editorData } from "@/lib/runbooks/editor-data";
import { getServiceBySlug } from "@/lib/services/queries";

export const metadata: Metadata = { title: "New runbook" };

export default async function NewRunbookPage({ params }: { params: Promise<{ slug: string }> }) {
  const user = await requireUser();
  const service = await getServiceBySlug((await params).slug);
  if (!service) notFound();
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/services/${service.slug}`} className="text-sm text-muted hover:text-fg">
          ← {service.name}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">New runbook</h1>
        <p className="text-sm text-muted">For {service.name}. Nothing is saved until every step passes the checks.</p>
      </div>
      {can(user.role, "service:configure") ? (
        <Card>
          <RunbookEditor service={{ id: service.id, slug: service.slug }} initialSteps={[]} {...editorData()} />
        </Card>
      ) : (
        <p className="text-sm text-muted">Only admins configure runbooks.</p>
      )}
    </div>
  );
}
