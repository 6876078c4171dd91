import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunbookEditor } from "@/components/runbooks/runbook-editor";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { editorData } from "@/lib/runbooks/editor-data";
import { getRunbookWithHistory } from "@/lib/runbooks/queries";

export const metadata: Metadata = { title: "Edit runbook" };

type Params = { params: Promise<{ slug: string; id: string }> };

export default async function EditRunbookPage({ params }: Params) {
  const user = await requireUser();
  const { slug, id } = await params;
  const runbook = await getRunbookWithHistory(id);
  if (!runbook || runbook.service.slug !== slug) notFound();
  const back = `/services/${slug}/runbooks/${id}`;
  return (
    <div className="space-y-6">
      <div>
        <Link href={back} className="text-sm text-muted hover:text-fg">
          ← {runbook.name}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Edit {runbook.name}</h1>
        <p className="text-sm text-muted">{runbook.service.name}</p>
      </div>
      {!can(user.role, "service:configure") ? (
        <p className="text-sm text-muted">Only admins configure runbooks.</p>
      ) : runbook.archivedAt ? (
        <p className="text-sm text-muted">
          This runbook is archived: <Link href={back}>unarchive it</Link> before editing it.
        </p>
      ) : (
        <Card>
          <RunbookEditor
            service={{ id: runbook.service.id, slug }}
            runbook={{ id: runbook.id, name: runbook.name, strategy: runbook.strategy, version: runbook.currentVersion }}
            initialSteps={runbook.steps}
            {...editorData()}
          />
        </Card>
      )}
    </div>
  );
}
