// A service's deploy events, newest first (the service page).
import { LocalTime } from "@/components/ui/local-time";
import type { Deployment } from "@/lib/deployments/queries";

export type DeploymentRow = Omit<Deployment, "service"> & { by: string | null; suspected: boolean };

export function DeploymentsList({ deployments }: { deployments: DeploymentRow[] }) {
  if (deployments.length === 0)
    return (
      <p className="text-sm text-muted">
        No deploys recorded yet. A pipeline records them with <code className="font-mono">POST /api/v1/deployments</code> and a write token
        (see the README).
      </p>
    );
  return (
    <ul className="divide-y divide-line" aria-label="Deploys">
      {deployments.map((d) => (
        <li key={d.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm">
          <span className="font-mono font-medium">{d.version}</span>
          {d.previousVersion && (
            <span className="text-muted">
              from <span className="font-mono">{d.previousVersion}</span>
            </span>
          )}
          <span className="rounded bg-surface px-1.5 text-xs text-muted">{d.environment}</span>
          {d.suspected && <span className="rounded bg-danger/10 px-1.5 text-xs text-danger">suspect of an alert</span>}
          <span className="text-muted">
            <LocalTime iso={d.deployedAt} />
          </span>
          {d.commit && <span className="font-mono text-xs text-muted">{d.commit.slice(0, 12)}</span>}
          {d.by && <span className="text-xs text-muted">by {d.by}</span>}
          {d.link && (
            <a href={d.link} rel="noopener noreferrer" target="_blank" className="text-accent underline-offset-2 hover:underline">
              Pipeline
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
