"use client";

// Proposing a runbook revision from an action item: the steps of the next version (as JSON, starting
// from the current version's), the lesson it carries, and a note. An admin reviews and publishes it.
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, firstActionError, INPUT_CLASS } from "@/components/ui/field";
import { proposeRevisionAction } from "@/lib/runbooks/revision-actions";

export function ProposeRevisionForm({
  actionItemId,
  runbookId,
  baseVersion,
  stepsJson,
  backHref,
}: {
  actionItemId: string;
  runbookId: string;
  baseVersion: number;
  stepsJson: string;
  backHref: string;
}) {
  const router = useRouter();
  const propose = useAction(proposeRevisionAction, { onSuccess: () => router.push(`${backHref}?proposed=1`) });
  const errors = (propose.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  return (
    <form
      aria-label="Propose a runbook revision"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        propose.execute({
          actionItemId,
          runbookId,
          baseVersion,
          steps: String(f.get("steps") ?? ""),
          lesson: String(f.get("lesson") ?? ""),
          note: String(f.get("note") ?? ""),
        });
      }}
    >
      <Field id="lesson" label="The lesson" hint="What the incident taught, in one sentence." error={errors.lesson?.[0]}>
        <input
          id="lesson"
          name="lesson"
          className={INPUT_CLASS}
          aria-invalid={Boolean(errors.lesson)}
          aria-describedby={describedBy("lesson", errors.lesson?.[0], "hint")}
        />
      </Field>
      <Field
        id="steps"
        label={`Steps of the next version (from version ${baseVersion})`}
        hint="JSON, as the runbook's steps are stored."
        error={errors.steps?.[0]}
      >
        <textarea
          id="steps"
          name="steps"
          rows={14}
          defaultValue={stepsJson}
          spellCheck={false}
          className={`${INPUT_CLASS} font-mono text-xs`}
          aria-invalid={Boolean(errors.steps)}
          aria-describedby={describedBy("steps", errors.steps?.[0], "hint")}
        />
      </Field>
      <Field id="note" label="Note (optional)" error={errors.note?.[0]}>
        <input id="note" name="note" className={INPUT_CLASS} aria-invalid={Boolean(errors.note)} />
      </Field>
      {/* A refusal not about one of these fields (a step's own problem, a stale draft) is said here. */}
      {!errors.lesson && !errors.steps && !errors.note && firstActionError(propose.result) && (
        <FormAlert>{firstActionError(propose.result)}</FormAlert>
      )}
      <Button type="submit" disabled={propose.isPending}>
        Propose the revision
      </Button>
    </form>
  );
}
