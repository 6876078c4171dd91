"use client";

// Writing (or revising) the re-deployment plan. The form names the version it was opened on: a plan
// saved by someone else meanwhile is refused as stale rather than overwritten.
import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { savePlanAction } from "@/lib/postmortem/actions";
import { type PlanInput, REDEPLOY_STRATEGIES } from "@/lib/postmortem/redeploy-plan";

const TEXTS = [
  ["fix", "The fix", "What changed in the code or configuration."],
  ["validation", "Validation added", "The checks that would have caught it (tests, start-up checks, alerts)."],
  ["stagingTest", "Staging test", "How it was tested on staging, and the result."],
] as const;

export function PlanForm({
  incidentId,
  basedOn,
  current,
  defaultVersion,
}: {
  incidentId: string;
  basedOn: number;
  current: PlanInput | null;
  defaultVersion: string;
}) {
  const save = useAction(savePlanAction);
  const errors = (save.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const input = (name: string) => ({
    id: `plan-${name}`,
    name,
    className: INPUT_CLASS,
    "aria-invalid": Boolean(errors[name]),
    "aria-describedby": describedBy(`plan-${name}`, errors[name]?.[0], "hint"),
  });
  return (
    <form
      aria-label="Re-deployment plan"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const text = (k: string) => String(f.get(k) ?? "");
        save.execute({
          incidentId,
          basedOn,
          fixedVersion: text("fixedVersion"),
          fix: text("fix"),
          validation: text("validation"),
          stagingTest: text("stagingTest"),
          targetDate: text("targetDate"),
          strategy: text("strategy") as PlanInput["strategy"],
        });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="plan-fixedVersion" label="Version to re-deploy" hint="The fixed release." error={errors.fixedVersion?.[0]}>
          <input {...input("fixedVersion")} defaultValue={current?.fixedVersion ?? defaultVersion} />
        </Field>
        <Field id="plan-targetDate" label="Target date" hint="When it goes out again." error={errors.targetDate?.[0]}>
          <input {...input("targetDate")} type="date" defaultValue={current?.targetDate ?? ""} />
        </Field>
        <Field id="plan-strategy" label="Strategy" hint="How it goes out." error={errors.strategy?.[0]}>
          <select {...input("strategy")} defaultValue={current?.strategy ?? "CANARY"}>
            {Object.entries(REDEPLOY_STRATEGIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label.split(" (")[0]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {TEXTS.map(([name, label, hint]) => (
        <Field key={name} id={`plan-${name}`} label={label} hint={hint} error={errors[name]?.[0]}>
          <textarea {...input(name)} rows={3} defaultValue={current?.[name] ?? ""} />
        </Field>
      ))}
      {save.result.serverError && <FormAlert>{save.result.serverError}</FormAlert>}
      {save.result.data?.ok && (
        <p role="status" className="text-sm text-ok">
          Plan v{save.result.data.version} saved.
        </p>
      )}
      <Button type="submit" disabled={save.isPending}>
        {basedOn === 0 ? "Write the plan" : `Save as version ${basedOn + 1}`}
      </Button>
    </form>
  );
}
