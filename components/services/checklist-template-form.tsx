"use client";

// Admins edit a service's verification template as JSON: validated on the server against the
// template schema (each problem named with its item), saved as a new version.
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { saveChecklistTemplateAction } from "@/lib/checklist/actions";

export function ChecklistTemplateForm({
  serviceId,
  version,
  custom,
  itemsJson,
  defaultJson,
  canEdit,
  summary,
}: {
  serviceId: string;
  version: number;
  custom: boolean;
  itemsJson: string;
  defaultJson: string;
  canEdit: boolean;
  summary: string;
}) {
  const [text, setText] = useState(itemsJson);
  const save = useAction(saveChecklistTemplateAction);
  const error = save.result.serverError ?? save.result.validationErrors?.fieldErrors?.itemsJson?.[0];
  return (
    <div className="space-y-3 text-sm">
      <p>
        {custom ? `This service's own template, version ${version}.` : "This service uses the default template."} {summary}
      </p>
      <details>
        <summary className="cursor-pointer text-accent">{canEdit ? "Edit the template (JSON)" : "Show the template (JSON)"}</summary>
        <form
          aria-label="Verification template"
          className="mt-3 space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.execute({ serviceId, version, itemsJson: text });
          }}
        >
          <p className="text-xs text-muted">
            Each item: key, section (SYSTEM_HEALTH, CRITICAL_FUNCTIONALITY, DATABASE_HEALTH, USER_IMPACT, DATA_INTEGRITY, STABILITY), label,
            kind (CHECK, METRIC, NUMBER, TEXT, CRITICAL_FEATURES = one item per critical feature); METRIC items name a metric with a
            tolerance against baseline (0.2 = 20%) and/or an absoluteMax; optional notBeforeHours, dueMinutes, onlyWhenRestore.
          </p>
          <label htmlFor="template-json" className="sr-only">
            Template items as JSON
          </label>
          <textarea
            id="template-json"
            value={text}
            onChange={(e) => setText(e.target.value)}
            readOnly={!canEdit}
            rows={18}
            spellCheck={false}
            className={`${INPUT_CLASS} font-mono text-xs`}
          />
          {error && (
            <FormAlert>
              <span className="whitespace-pre-wrap">{error}</span>
            </FormAlert>
          )}
          {save.hasSucceeded && <p className="text-ok">Saved as version {save.result.data?.version}.</p>}
          {canEdit && (
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? "Saving…" : "Save template"}
              </Button>
              <Button variant="ghost" onClick={() => setText(defaultJson)}>
                Start from the default
              </Button>
            </div>
          )}
        </form>
      </details>
    </div>
  );
}
