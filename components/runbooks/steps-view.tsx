// A runbook's steps, read-only: what each runs against what, with its flags. Configs hold no
// secret values (secrets are named by environment variable), so they are shown as they are.
import { Badge } from "@/components/ui/badge";
import { describeStep } from "@/lib/rollback/describe";
import { EXECUTOR_LABELS } from "@/lib/rollback/executors/configs";
import type { PlanStep } from "@/lib/rollback/plans";

type Heading = Pick<PlanStep, "name" | "key" | "executor" | "destructive" | "changesTraffic" | "optional">;

/** A step's name, ID, executor and flags, on one line. */
export function StepHeading({ step: s }: { step: Heading }) {
  return (
    <>
      <span className="font-medium">{s.name || "(unnamed)"}</span>
      <span className="font-mono text-xs text-muted">{s.key}</span>
      <Badge>{EXECUTOR_LABELS[s.executor]}</Badge>
      {s.destructive && <Badge tone="danger">destructive</Badge>}
      {s.changesTraffic && <Badge tone="info">changes traffic</Badge>}
      {s.optional && <Badge>optional</Badge>}
    </>
  );
}

export function StepsView({ steps, label = "Steps" }: { steps: PlanStep[]; label?: string }) {
  if (steps.length === 0) return <p className="text-sm text-muted">No steps.</p>;
  return (
    <ol aria-label={label} className="divide-y divide-line rounded-lg border border-line">
      {steps.map((s, i) => (
        <li key={s.key} className="px-4 py-3">
          <div className="flex flex-wrap items-center gap-2">
            <span className="flex size-6 items-center justify-center rounded-full bg-surface-2 font-mono text-xs font-semibold">
              {i + 1}
            </span>
            <StepHeading step={s} />
          </div>
          <p className="mt-1 pl-8 font-mono text-xs break-all text-muted">{describeStep(s.executor, s.config)}</p>
          {Object.keys(s.config).length > 0 && (
            <details className="mt-1 pl-8">
              <summary className="cursor-pointer text-xs text-muted hover:text-fg">Settings</summary>
              <pre className="mt-1 overflow-x-auto rounded bg-surface-2 p-2 font-mono text-xs">{JSON.stringify(s.config, null, 2)}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
