"use client";

// The admin's runbook editor: name and strategy (new runbooks), the ordered steps with each
// executor's settings, "Validate" (the server's check, nothing saved) and save. Every problem the
// server finds is shown under its field and listed at the top; nothing is saved while any remains.
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import type { PlanStep } from "@/lib/rollback/plans";
import { createRunbookAction, saveRunbookAction, validateRunbookAction } from "@/lib/runbooks/actions";
import { describeIssue, type RunbookIssue } from "@/lib/runbooks/issues";
import { configToForm, emptyForm, formToConfig, keyFromName } from "@/lib/runbooks/step-form";
import { type Draft, StepCard } from "./step-card";
import type { FieldMessages } from "./step-fields";

export type StrategyRoleView = { key: string; name: string; required: boolean };

type Props = {
  service: { id: string; slug: string };
  /** Absent: a new runbook. */
  runbook?: { id: string; name: string; strategy: RollbackStrategy; version: number };
  initialSteps: PlanStep[];
  templates: Record<RollbackStrategy, PlanStep[]>;
  roles: Record<RollbackStrategy, StrategyRoleView[]>;
  strategyLabels: Record<RollbackStrategy, string>;
};

let nextUid = 1;

function toDraft(step: PlanStep, open: boolean): Draft {
  return {
    uid: nextUid++,
    open,
    key: step.key,
    keyTouched: true,
    name: step.name,
    executor: step.executor,
    destructive: step.destructive,
    changesTraffic: step.changesTraffic,
    optional: step.optional,
    form: configToForm(step.executor, step.config),
  };
}

function toStep(d: Draft) {
  return {
    key: d.key.trim() || keyFromName(d.name),
    name: d.name,
    executor: d.executor,
    config: formToConfig(d.executor, d.form),
    destructive: d.destructive,
    changesTraffic: d.changesTraffic,
    optional: d.optional,
  };
}

/** "headers.Authorization" → "Authorization: …", "argv.2" → "line 3: …". */
function partLabel(rest: string): string {
  return rest
    .split(".")
    .map((p) => (/^\d+$/.test(p) ? `#${Number(p) + 1}` : p))
    .join(" ");
}

export function RunbookEditor({ service, runbook, initialSteps, templates, roles, strategyLabels }: Props) {
  const router = useRouter();
  const creating = !runbook;
  const [name, setName] = useState(runbook?.name ?? "");
  const [strategy, setStrategy] = useState<RollbackStrategy>(runbook?.strategy ?? "CUSTOM");
  const [steps, setSteps] = useState<Draft[]>(() => initialSteps.map((s) => toDraft(s, initialSteps.length <= 4)));
  const [fromTemplate, setFromTemplate] = useState(false);
  const [note, setNote] = useState("");
  const [issues, setIssues] = useState<RunbookIssue[] | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [checkedClean, setCheckedClean] = useState(false);
  // Validate and save sit below the steps: bring the outcome into view.
  const outcomeRef = useRef<HTMLDivElement>(null);
  const [outcomeShown, setOutcomeShown] = useState(0);
  useEffect(() => {
    if (outcomeShown > 0) outcomeRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [outcomeShown]);

  const validate = useAction(validateRunbookAction);
  const create = useAction(createRunbookAction);
  const save = useAction(saveRunbookAction);
  const busy = validate.isPending || create.isPending || save.isPending;
  const serverError = validate.result.serverError ?? create.result.serverError ?? save.result.serverError;
  const nameError = create.result.validationErrors?.fieldErrors?.name?.[0];

  const resetChecks = () => {
    setIssues(null);
    setSummary(null);
    setCheckedClean(false);
  };
  const update = (uid: number, patch: Partial<Draft>) => {
    setFromTemplate(false);
    setCheckedClean(false);
    setSteps((list) => list.map((d) => (d.uid === uid ? { ...d, ...patch } : d)));
  };
  // Adding, removing or moving steps renumbers them: the messages would point at the wrong step.
  const restructure = (fn: (list: Draft[]) => Draft[]) => {
    setFromTemplate(false);
    resetChecks();
    setSteps(fn);
  };
  const move = (index: number, by: number) =>
    restructure((list) => {
      const next = [...list];
      const [step] = next.splice(index, 1);
      next.splice(index + by, 0, step);
      return next;
    });

  const chooseStrategy = (s: RollbackStrategy) => {
    setStrategy(s);
    resetChecks();
    // An untouched draft follows the strategy: its steps, in its order, to be filled in.
    if (steps.length === 0 || fromTemplate) {
      setSteps(templates[s].map((t) => toDraft(t, true)));
      setFromTemplate(templates[s].length > 0);
    }
  };

  const payload = () => steps.map(toStep);
  const stepIssues = (index: number) => (issues ?? []).filter((i) => i.path === `steps.${index}` || i.path.startsWith(`steps.${index}.`));
  const messagesAt =
    (index: number, prefix: string): FieldMessages =>
    (field) => {
      const path = `steps.${index}.${prefix}${field}`;
      const found = (issues ?? []).filter((i) => i.path === path || i.path.startsWith(`${path}.`));
      const text = (severity: RunbookIssue["severity"]) =>
        found
          .filter((i) => i.severity === severity)
          .map((i) => (i.path === path ? i.message : `${partLabel(i.path.slice(path.length + 1))}: ${i.message}`))
          .join(" ") || undefined;
      return { error: text("error"), warning: text("warning") };
    };
  const errors = (issues ?? []).filter((i) => i.severity === "error");
  const warnings = (issues ?? []).filter((i) => i.severity === "warning");

  async function runValidate() {
    setSummary(null);
    const r = await validate.executeAsync({ serviceId: service.id, strategy, steps: payload() });
    if (!r?.data) return;
    setIssues(r.data.issues);
    setCheckedClean(r.data.issues.every((i) => i.severity !== "error"));
    setOutcomeShown((n) => n + 1);
  }

  async function runSave() {
    setSummary(null);
    setCheckedClean(false);
    const body = { steps: payload(), note };
    const r = creating
      ? await create.executeAsync({ serviceId: service.id, name, strategy, ...body })
      : await save.executeAsync({ runbookId: runbook.id, baseVersion: runbook.version, ...body });
    const data = r?.data;
    if (!data) {
      setOutcomeShown((n) => n + 1);
      return;
    }
    if (!data.ok) {
      setIssues(data.issues);
      setSummary(data.message);
      setOutcomeShown((n) => n + 1);
      return;
    }
    router.push(`/services/${service.slug}/runbooks/${data.runbookId}?saved=${data.version}`);
  }

  const strategyRoles = roles[strategy];
  const keys = new Set(steps.map((s) => s.key.trim() || keyFromName(s.name)));
  const roleOf = (key: string) => strategyRoles.find((r) => r.key === key);
  const topIssues = (issues ?? []).filter((i) => !/^steps\.\d+/.test(i.path));

  return (
    <form
      aria-label={creating ? "New runbook" : `Edit ${runbook.name}`}
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        void runSave();
      }}
    >
      {creating && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            id="runbook-name"
            label="Runbook name"
            error={nameError}
            hint="What it does, e.g. Blue-green switch via the load balancer."
          >
            <input
              id="runbook-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              className={INPUT_CLASS}
              aria-invalid={nameError ? true : undefined}
            />
          </Field>
          <Field
            id="runbook-strategy"
            label="Strategy"
            hint="Blue-green, database-restore and feature-flag runbooks follow their strategy's steps."
          >
            <select
              id="runbook-strategy"
              value={strategy}
              onChange={(e) => chooseStrategy(e.target.value as RollbackStrategy)}
              className={INPUT_CLASS}
            >
              {(Object.keys(strategyLabels) as RollbackStrategy[]).map((s) => (
                <option key={s} value={s}>
                  {strategyLabels[s]}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}

      {strategyRoles.length > 0 && (
        <div className="rounded-md border border-line bg-surface-2 px-3 py-2 text-sm">
          <p className="font-medium">{strategyLabels[strategy]}: these steps, in this order (step IDs), with any others in between</p>
          <ol className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs">
            {strategyRoles.map((r, i) => (
              <li key={r.key} className={keys.has(r.key) ? "text-ok" : r.required ? "text-danger" : "text-muted"}>
                {i + 1}. {keys.has(r.key) ? "✓" : "○"} {r.name} <span className="font-mono">({r.key})</span>
                {!r.required && " · recommended"}
              </li>
            ))}
          </ol>
        </div>
      )}

      <div ref={outcomeRef} className="scroll-mt-4 space-y-3">
        {serverError && <FormAlert>{serverError}</FormAlert>}
        {errors.length > 0 && (
          <div role="alert" className="rounded-md border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger">
            <p className="font-medium">
              {summary ? "Not saved: " : ""}
              {errors.length === 1 ? "1 problem" : `${errors.length} problems`} to fix
            </p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5">
              {errors.map((i) => (
                <li key={`${i.path}:${i.message}`}>{describeIssue(i, steps)}</li>
              ))}
            </ul>
          </div>
        )}
        {warnings.length > 0 && (
          <div role="status" className="rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm text-warn">
            <p className="font-medium">Warnings (saving is allowed)</p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5">
              {warnings.map((i) => (
                <li key={`${i.path}:${i.message}`}>{describeIssue(i, steps)}</li>
              ))}
            </ul>
          </div>
        )}
        {checkedClean && errors.length === 0 && (
          <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
            No problems found{warnings.length > 0 ? " besides the warnings above" : ""}: the runbook can be saved.
          </p>
        )}
      </div>

      {steps.length === 0 ? (
        <p className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-muted">
          No steps yet. A custom runbook is any ordered list of steps: add the first one.
        </p>
      ) : (
        <ol className="space-y-4" aria-label="Steps">
          {steps.map((d, index) => (
            <StepCard
              key={d.uid}
              draft={d}
              index={index}
              total={steps.length}
              issues={stepIssues(index)}
              messages={(prefix) => messagesAt(index, prefix)}
              role={roleOf(d.key.trim() || keyFromName(d.name))}
              strategyLabel={strategyLabels[strategy]}
              onChange={(patch) => update(d.uid, patch)}
              onMove={(by) => move(index, by)}
              onRemove={() => restructure((list) => list.filter((s) => s.uid !== d.uid))}
            />
          ))}
        </ol>
      )}

      <Button
        variant="secondary"
        onClick={() =>
          restructure((list) => [
            ...list,
            {
              uid: nextUid++,
              open: true,
              key: "",
              keyTouched: false,
              name: "",
              executor: "HTTP",
              destructive: false,
              changesTraffic: false,
              optional: false,
              form: emptyForm("HTTP"),
            },
          ])
        }
      >
        + Add step
      </Button>

      <div className="space-y-3 border-t border-line pt-4">
        <Field id="runbook-note" label="What changed (optional)" hint="Shown in the version history.">
          <input id="runbook-note" value={note} onChange={(e) => setNote(e.target.value)} className={INPUT_CLASS} maxLength={500} />
        </Field>
        {topIssues.length > 0 && topIssues.some((i) => i.severity === "error") && (
          <p className="text-xs text-muted">Fix the problems listed at the top; nothing is saved until none remain.</p>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={busy}>
            {create.isPending || save.isPending ? "Saving…" : creating ? "Create runbook" : `Save as version ${runbook.version + 1}`}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={() => void runValidate()}>
            {validate.isPending ? "Checking…" : "Validate"}
          </Button>
          <p className="text-xs text-muted">
            {creating
              ? "Saved as version 1."
              : `You are editing version ${runbook.version}. Saving writes version ${runbook.version + 1}; runs already planned keep theirs.`}
          </p>
        </div>
      </div>
    </form>
  );
}
