"use client";

// Generating (or regenerating) the post-mortem agenda: the window after the sign-off, whether
// weekends count, and who facilitates. The server proposes the date and stores a new version.
import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { describedBy, Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { generateAgendaAction } from "@/lib/postmortem/actions";

export function AgendaForm({
  incidentId,
  defaultWithinHours,
  people,
  hasAgenda,
}: {
  incidentId: string;
  defaultWithinHours: number;
  people: { id: string; name: string }[];
  hasAgenda: boolean;
}) {
  const generate = useAction(generateAgendaAction);
  const errors = (generate.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  return (
    <form
      aria-label="Generate the post-mortem agenda"
      className="grid gap-3 sm:grid-cols-[10rem_1fr] sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        generate.execute({
          incidentId,
          withinHours: String(f.get("withinHours") ?? ""),
          skipWeekends: f.get("skipWeekends") === "on",
          facilitatorId: String(f.get("facilitatorId") ?? ""),
        });
      }}
    >
      <Field id="withinHours" label="Within (hours)" hint="after the sign-off" error={errors.withinHours?.[0]}>
        <input
          id="withinHours"
          name="withinHours"
          type="number"
          min={4}
          max={336}
          defaultValue={defaultWithinHours}
          className={INPUT_CLASS}
          aria-invalid={Boolean(errors.withinHours)}
          aria-describedby={describedBy("withinHours", errors.withinHours?.[0], "hint")}
        />
      </Field>
      <Field id="facilitatorId" label="Facilitator" error={errors.facilitatorId?.[0]}>
        <select id="facilitatorId" name="facilitatorId" className={INPUT_CLASS} defaultValue="">
          <option value="">Me</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <label className="flex items-center gap-2 text-sm sm:col-span-2">
        <input type="checkbox" name="skipWeekends" className="size-4" /> Skip weekends (they neither hold the meeting nor count)
      </label>
      {generate.result.serverError && (
        <div className="sm:col-span-2">
          <FormAlert>{generate.result.serverError}</FormAlert>
        </div>
      )}
      {generate.result.data?.ok && (
        <p role="status" className="text-sm text-ok sm:col-span-2">
          Agenda v{generate.result.data.version} saved.
        </p>
      )}
      <div className="sm:col-span-2">
        <Button type="submit" variant={hasAgenda ? "secondary" : "primary"} disabled={generate.isPending}>
          {hasAgenda ? "Generate a new version" : "Generate the agenda"}
        </Button>
      </div>
    </form>
  );
}
