"use client";
// Editing one section of the RCA: a form over the section's value (text areas, lists of entries,
// amounts, priorities), saved on the section revision it was opened on. When someone else saved
// the section meanwhile, the save is refused and their text is shown beside this draft.

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { saveRcaSectionAction } from "@/lib/rca/actions";
import type { SectionKey } from "@/lib/rca/content";

export type FieldSpec =
  | { kind: "text"; path: string[]; label: string; rows?: number; hint?: string }
  | { kind: "list"; path: string[]; label: string; item: string; add: string }
  | { kind: "amount"; path: string[]; label: string; hint?: string }
  | { kind: "choice"; path: string[]; label: string; options: readonly (readonly [string, string])[] };

type Json = unknown;

function getAt(value: Json, path: string[]): Json {
  return path.reduce<Json>((v, k) => (v && typeof v === "object" ? (v as Record<string, Json>)[k] : undefined), value);
}

function setAt(value: Json, path: string[], next: Json): Json {
  if (path.length === 0) return next;
  const [k, ...rest] = path;
  const obj = value && typeof value === "object" ? (value as Record<string, Json>) : {};
  return { ...obj, [k]: setAt(obj[k], rest, next) };
}

const idOf = (section: string, path: string[], i?: number) => `rca-${section}-${path.join("-")}${i === undefined ? "" : `-${i}`}`;

export function SectionEditor({
  documentId,
  section,
  title,
  rev,
  value,
  fields,
}: {
  documentId: string;
  section: SectionKey;
  title: string;
  rev: number;
  value: Json;
  fields: readonly FieldSpec[];
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Json>(value);
  const { execute, result, isPending, reset } = useAction(saveRcaSectionAction, {
    onSuccess: ({ data }) => {
      if (data && "stale" in data) return;
      setEditing(false);
    },
  });
  const stale = result.data && "stale" in result.data ? result.data : null;
  const error = result.validationErrors ? Object.values(result.validationErrors.fieldErrors ?? {}).flat()[0] : null;

  if (!editing) {
    return (
      <Button
        variant="ghost"
        className="print:hidden"
        aria-label={`Edit ${title}`}
        onClick={() => {
          reset();
          setDraft(value);
          setEditing(true);
        }}
      >
        Edit
      </Button>
    );
  }

  const update = (path: string[], next: Json) => setDraft((d: Json) => setAt(d, path, next));

  return (
    <form
      aria-label={`Edit ${title}`}
      className="w-full space-y-3 rounded-md border border-line bg-surface-2/40 p-3 print:hidden"
      onSubmit={(e) => {
        e.preventDefault();
        // After a refusal the form saves on the revision it was shown (theirs), on purpose.
        execute({ documentId, section, rev: stale ? (stale.current as { rev: number }).rev : rev, value: draft });
      }}
    >
      {stale && (
        <div role="alert" className="space-y-2 rounded-md border border-warn/40 bg-warn-soft px-3 py-2 text-sm">
          <p className="text-warn">{stale.message}</p>
          <p className="text-xs font-medium">Their text, saved now:</p>
          <pre className="max-h-48 overflow-auto whitespace-pre-wrap rounded bg-surface p-2 font-sans text-xs">
            {show((stale.current as { value: Json }).value)}
          </pre>
          <p className="text-xs text-muted">Your draft is still below. Saving again replaces their text with yours.</p>
        </div>
      )}
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {error && <FormAlert>{error}</FormAlert>}
      {fields.map((f) => {
        const id = idOf(section, f.path);
        const current = getAt(draft, f.path);
        switch (f.kind) {
          case "text":
            return (
              <div key={id} className="space-y-1">
                <label htmlFor={id} className="block text-sm font-medium">
                  {f.label}
                </label>
                <textarea
                  id={id}
                  rows={f.rows ?? 4}
                  className={INPUT_CLASS}
                  value={typeof current === "string" ? current : ""}
                  onChange={(e) => update(f.path, e.target.value)}
                />
                {f.hint && <p className="text-xs text-muted">{f.hint}</p>}
              </div>
            );
          case "amount":
            return (
              <div key={id} className="space-y-1">
                <label htmlFor={id} className="block text-sm font-medium">
                  {f.label}
                </label>
                <input
                  id={id}
                  inputMode="decimal"
                  placeholder="not recorded"
                  className={INPUT_CLASS}
                  value={current === null || current === undefined ? "" : String(current)}
                  onChange={(e) => update(f.path, e.target.value)}
                />
                {f.hint && <p className="text-xs text-muted">{f.hint}</p>}
              </div>
            );
          case "choice":
            return (
              <div key={id} className="space-y-1">
                <label htmlFor={id} className="block text-sm font-medium">
                  {f.label}
                </label>
                <select id={id} className={INPUT_CLASS} value={String(current ?? "")} onChange={(e) => update(f.path, e.target.value)}>
                  {f.options.map(([v, label]) => (
                    <option key={v} value={v}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
            );
          case "list": {
            const items = Array.isArray(current) ? (current as string[]) : [];
            return (
              <fieldset key={id} className="space-y-2">
                <legend className="text-sm font-medium">{f.label}</legend>
                {items.map((item, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: entries are positional (Why 1, Why 2, …)
                  <div key={i} className="flex items-start gap-2">
                    <div className="min-w-0 flex-1 space-y-1">
                      <label htmlFor={idOf(section, f.path, i)} className="block text-xs text-muted">
                        {f.item} {i + 1}
                      </label>
                      <textarea
                        id={idOf(section, f.path, i)}
                        rows={2}
                        className={INPUT_CLASS}
                        value={item}
                        onChange={(e) =>
                          update(
                            f.path,
                            items.map((x, j) => (j === i ? e.target.value : x)),
                          )
                        }
                      />
                    </div>
                    <Button
                      variant="ghost-danger"
                      className="mt-5"
                      aria-label={`Remove ${f.item.toLowerCase()} ${i + 1}`}
                      onClick={() =>
                        update(
                          f.path,
                          items.filter((_, j) => j !== i),
                        )
                      }
                    >
                      Remove
                    </Button>
                  </div>
                ))}
                <Button variant="secondary" onClick={() => update(f.path, [...items, ""])}>
                  {f.add}
                </Button>
              </fieldset>
            );
          }
          default:
            return null;
        }
      })}
      <div className="flex gap-2">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Saving…" : `Save ${title.toLowerCase()}`}
        </Button>
        <Button variant="ghost" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function show(value: Json): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "(empty)";
  return JSON.stringify(value, null, 2);
}
