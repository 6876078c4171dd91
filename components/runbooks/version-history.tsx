// Every version of a runbook, newest first: who saved it and when, their note, the incidents
// whose plans were built from it, and what changed from the version before, step by step.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { StepChange } from "@/lib/runbooks/diff";

type Version = {
  id: string;
  version: number;
  note: string;
  createdAt: Date;
  createdBy: string | null;
  steps: number;
  changes: StepChange[];
  usedBy: number[];
  fromIncident?: { number: number; lesson: string } | null;
};

export function Change({ change }: { change: StepChange }) {
  switch (change.kind) {
    case "added":
      return (
        <p>
          <span className="font-semibold text-ok">+ Added</span> step {change.position} “{change.name}”{" "}
          <span className="text-xs text-muted">({change.executor.toLowerCase().replace("_", "-")})</span>
        </p>
      );
    case "removed":
      return (
        <p>
          <span className="font-semibold text-danger">− Removed</span> “{change.name}”{" "}
          <span className="text-xs text-muted">(was step {change.position})</span>
        </p>
      );
    case "moved":
      return (
        <p>
          <span className="font-semibold text-info">↕ Moved</span> “{change.name}” from step {change.from} to {change.to}
        </p>
      );
    case "changed":
      return (
        <div>
          <p>
            <span className="font-semibold text-warn">~ Changed</span> “{change.name}”
          </p>
          <table className="mt-1 ml-4 text-xs">
            <caption className="sr-only">Changes to {change.name}</caption>
            <tbody>
              {change.fields.map((f) => (
                <tr key={f.field} className="align-top">
                  <th scope="row" className="pr-3 text-left font-mono font-normal text-muted">
                    {f.field}
                  </th>
                  <td className="font-mono break-all">
                    <del className="text-danger">{f.before}</del> → <ins className="text-ok no-underline">{f.after}</ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

export function VersionHistory({ versions, current }: { versions: Version[]; current: number }) {
  return (
    <ol aria-label="Version history" className="space-y-4">
      {versions.map((v) => (
        <li key={v.id} className="rounded-lg border border-line p-4">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <h3 className="font-semibold">Version {v.version}</h3>
            {v.version === current && <Badge tone="ok">current</Badge>}
            <span className="text-muted">
              by {v.createdBy ?? "the system"}, <LocalTime iso={v.createdAt.toISOString()} />
            </span>
          </div>
          {v.usedBy.length > 0 && (
            <p className="mt-0.5 text-xs text-muted">
              Plans built from it:{" "}
              {v.usedBy.map((n, i) => (
                <span key={n}>
                  {i > 0 && ", "}
                  <Link href={`/incidents/${n}`} className="underline hover:text-fg">
                    INC-{n}
                  </Link>
                </span>
              ))}
            </p>
          )}
          {v.fromIncident && (
            <p className="mt-1 text-sm" data-testid="version-from-incident">
              Changed after{" "}
              <Link href={`/incidents/${v.fromIncident.number}`} className="font-medium underline hover:text-fg">
                INC-{v.fromIncident.number}
              </Link>
              : {v.fromIncident.lesson}
            </p>
          )}
          {v.note && <p className="mt-1 text-sm italic">“{v.note}”</p>}
          <div className="mt-2 space-y-1.5 text-sm">
            {v.version === versions[versions.length - 1]?.version && v.changes.every((c) => c.kind === "added") ? (
              <p className="text-muted">Created with {v.steps === 1 ? "1 step" : `${v.steps} steps`}.</p>
            ) : v.changes.length === 0 ? (
              <p className="text-muted">No step changes.</p>
            ) : (
              v.changes.map((c) => <Change key={`${c.kind}:${c.key}`} change={c} />)
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
