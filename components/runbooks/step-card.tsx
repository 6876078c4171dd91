"use client";

// One step in the runbook editor: name, ID and executor, the executor's settings, the flags, and
// the server's messages in place. Collapsed, it shows what it runs in one line; a step with a
// problem is always open.
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, INPUT_CLASS } from "@/components/ui/field";
import type { ExecutorKind } from "@/generated/prisma/enums";
import { describeStep } from "@/lib/rollback/describe";
import { EXECUTOR_KINDS, EXECUTOR_LABELS } from "@/lib/rollback/executors/configs";
import type { RunbookIssue } from "@/lib/runbooks/issues";
import { emptyForm, type FormValue, formToConfig, keyFromName, type StepForm } from "@/lib/runbooks/step-form";
import { type FieldMessages, StepFields } from "./step-fields";
import { StepHeading } from "./steps-view";

export type Draft = {
  uid: number;
  /** Shown with its fields (else one summary line). */
  open: boolean;
  key: string;
  /** The ID was typed (or loaded): it no longer follows the name. */
  keyTouched: boolean;
  name: string;
  executor: ExecutorKind;
  destructive: boolean;
  changesTraffic: boolean;
  optional: boolean;
  form: StepForm;
};

const FLAGS = [
  ["destructive", "Destructive", "asks for the service name before it runs"],
  ["changesTraffic", "Changes traffic", ""],
  ["optional", "Optional", "responders may leave it out of a plan"],
] as const;

const STEP_FIELDS = new Set(["name", "key", "executor", "destructive", "changesTraffic", "optional", "config"]);

export function StepCard({
  draft: d,
  index,
  total,
  issues,
  messages,
  role,
  strategyLabel,
  onChange,
  onMove,
  onRemove,
}: {
  draft: Draft;
  index: number;
  total: number;
  /** This step's issues (paths steps.<index>.…). */
  issues: RunbookIssue[];
  messages: (prefix: string) => FieldMessages;
  role?: { name: string };
  strategyLabel: string;
  onChange: (patch: Partial<Draft>) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const number = index + 1;
  const at = (field: string) => messages("")(field).error;
  const hasError = issues.some((i) => i.severity === "error");
  const open = d.open || hasError;
  const loose = issues.filter((i) => !STEP_FIELDS.has(i.path.split(".")[2] ?? ""));
  const idPrefix = `step-${d.uid}`;

  return (
    <fieldset className={cn("space-y-3 rounded-lg border bg-surface p-4", hasError ? "border-danger/60" : "border-line")}>
      <legend className="sr-only">Step {number}</legend>
      <div className="flex flex-wrap items-start gap-3">
        <span
          aria-hidden
          className={cn(
            "flex size-7 shrink-0 items-center justify-center rounded-full bg-surface-2 font-mono text-xs font-semibold",
            open && "mt-7",
          )}
        >
          {number}
        </span>
        {open ? (
          <div className="grid min-w-0 flex-1 gap-3 sm:grid-cols-[2fr_1.2fr_1.2fr]">
            <Field id={`${idPrefix}-name`} label="Name" error={at("name")}>
              <input
                id={`${idPrefix}-name`}
                value={d.name}
                placeholder="Switch traffic to blue"
                aria-invalid={at("name") ? true : undefined}
                onChange={(e) => onChange({ name: e.target.value, ...(d.keyTouched ? {} : { key: keyFromName(e.target.value) }) })}
                className={INPUT_CLASS}
              />
            </Field>
            <Field id={`${idPrefix}-key`} label="Step ID" error={at("key")}>
              <input
                id={`${idPrefix}-key`}
                value={d.key}
                placeholder="switch-traffic"
                aria-invalid={at("key") ? true : undefined}
                onChange={(e) => onChange({ key: e.target.value, keyTouched: true })}
                className={cn(INPUT_CLASS, "font-mono")}
              />
            </Field>
            <Field id={`${idPrefix}-executor`} label="Runs" error={at("executor")}>
              <select
                id={`${idPrefix}-executor`}
                value={d.executor}
                onChange={(e) => {
                  const executor = e.target.value as ExecutorKind;
                  onChange({ executor, form: emptyForm(executor) });
                }}
                className={INPUT_CLASS}
              >
                {EXECUTOR_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {EXECUTOR_LABELS[k]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        ) : (
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2">
              <StepHeading step={d} />
            </p>
            <p className="mt-0.5 font-mono text-xs break-all text-muted">{describeStep(d.executor, formToConfig(d.executor, d.form))}</p>
          </div>
        )}
        <div className={cn("flex gap-1", open && "mt-6")}>
          {!hasError && (
            <Button variant="ghost" className="px-2" aria-expanded={open} onClick={() => onChange({ open: !open })}>
              {open ? "Collapse" : "Edit"}
              <span className="sr-only"> step {number}</span>
            </Button>
          )}
          <Button variant="ghost" className="px-2" aria-label={`Move step ${number} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </Button>
          <Button
            variant="ghost"
            className="px-2"
            aria-label={`Move step ${number} down`}
            disabled={index === total - 1}
            onClick={() => onMove(1)}
          >
            ↓
          </Button>
          <Button variant="ghost-danger" className="px-2" aria-label={`Remove step ${number}`} onClick={onRemove}>
            Remove
          </Button>
        </div>
      </div>
      {open && (
        <>
          {role && (
            <p className="pl-10">
              {/* A long step name wraps on a phone instead of widening the card. */}
              <Badge tone="info" className="whitespace-normal!">
                {strategyLabel}: {role.name}
              </Badge>
            </p>
          )}
          {loose.length > 0 && (
            <ul className="pl-10 text-xs font-medium text-danger">
              {loose.map((i) => (
                <li key={i.path + i.message}>{i.message}</li>
              ))}
            </ul>
          )}
          <div className="pl-10">
            <StepFields
              idPrefix={idPrefix}
              executor={d.executor}
              form={d.form}
              messages={messages("config.")}
              onChange={(field: string, value: FormValue) => onChange({ form: { ...d.form, [field]: value } })}
            />
          </div>
          <div className="flex flex-wrap gap-x-6 gap-y-2 pl-10 text-sm">
            {FLAGS.map(([flag, label, hint]) => (
              <div key={flag}>
                <label className="flex items-center gap-2">
                  <input type="checkbox" checked={d[flag]} onChange={(e) => onChange({ [flag]: e.target.checked })} />
                  <span>
                    {label}
                    {hint && <span className="text-xs text-muted"> — {hint}</span>}
                  </span>
                </label>
                {at(flag) && <p className="max-w-md text-xs font-medium text-danger">{at(flag)}</p>}
              </div>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
