"use client";

// The settings of one step, as the form fields of its executor (lib/runbooks/step-form.ts), each
// with the server's messages for it shown underneath.
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { describedBy, Field, INPUT_CLASS } from "@/components/ui/field";
import type { ExecutorKind } from "@/generated/prisma/enums";
import type { FieldSpec, FormValue, Pair, StepForm } from "@/lib/runbooks/step-form";
import { visibleFields } from "@/lib/runbooks/step-form";

/** Messages for a field: its own, and those of its parts ("Authorization: …", "#2: …"). Warnings do not block a save. */
export type FieldMessages = (name: string) => { error?: string; warning?: string };

function Warning({ text }: { text?: string }) {
  return text ? <p className="text-xs font-medium text-warn">{text}</p> : null;
}

function PairsField({
  id,
  spec,
  rows,
  error,
  onChange,
}: {
  id: string;
  spec: Extract<FieldSpec, { kind: "pairs" }>;
  rows: Pair[];
  error?: string;
  onChange: (rows: Pair[]) => void;
}) {
  const set = (i: number, patch: Partial<Pair>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-1.5" aria-describedby={describedBy(id, error, spec.hint)}>
      <legend className="text-sm font-medium">{spec.label}</legend>
      {rows.length > 0 && (
        <ul className="space-y-1.5">
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
            <li key={i} className="grid grid-cols-[1fr_1fr_auto] gap-2">
              <input
                aria-label={`${spec.label} ${i + 1}: ${spec.columns[0]}`}
                value={row.a}
                placeholder={spec.placeholders?.[0]}
                onChange={(e) => set(i, { a: e.target.value })}
                className={cn(INPUT_CLASS, "font-mono")}
              />
              <input
                aria-label={`${spec.label} ${i + 1}: ${spec.columns[1]}`}
                value={row.b}
                placeholder={spec.placeholders?.[1]}
                onChange={(e) => set(i, { b: e.target.value })}
                className={cn(INPUT_CLASS, "font-mono")}
              />
              <Button
                variant="ghost"
                className="px-2"
                aria-label={`Remove ${spec.label.toLowerCase()} ${i + 1}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                ✕
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => onChange([...rows, { a: "", b: "" }])}>
        + {spec.add}
      </Button>
      {spec.hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {spec.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function StepFields({
  idPrefix,
  executor,
  form,
  messages,
  onChange,
}: {
  idPrefix: string;
  executor: ExecutorKind;
  form: StepForm;
  messages: FieldMessages;
  onChange: (name: string, value: FormValue) => void;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {visibleFields(executor, form).map((spec) => {
        const id = `${idPrefix}-${spec.name}`;
        const { error, warning } = messages(spec.name);
        const value = form[spec.name];
        const wide = spec.wide || spec.kind === "textarea" || spec.kind === "lines" ? "sm:col-span-2" : "";
        if (spec.kind === "pairs") {
          return (
            <div key={spec.name} className={wide}>
              <PairsField
                id={id}
                spec={spec}
                rows={Array.isArray(value) ? value : []}
                error={error}
                onChange={(rows) => onChange(spec.name, rows)}
              />
            </div>
          );
        }
        if (spec.kind === "checkbox") {
          return (
            <div key={spec.name} className="sm:col-span-2">
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={value === true} onChange={(e) => onChange(spec.name, e.target.checked)} />
                {spec.label}
              </label>
              {error && <p className="text-xs font-medium text-danger">{error}</p>}
              <Warning text={warning} />
            </div>
          );
        }
        const common = {
          id,
          value: typeof value === "string" ? value : "",
          placeholder: spec.placeholder,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": describedBy(id, error, spec.hint),
          className: cn(INPUT_CLASS, "mono" in spec && spec.mono && "font-mono"),
        };
        return (
          <div key={spec.name} className={wide}>
            <Field id={id} label={spec.label} hint={spec.hint} error={error}>
              {spec.kind === "select" ? (
                <select {...common} onChange={(e) => onChange(spec.name, e.target.value)}>
                  {spec.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : spec.kind === "textarea" || spec.kind === "lines" ? (
                <textarea {...common} rows={spec.kind === "lines" ? 3 : 2} onChange={(e) => onChange(spec.name, e.target.value)} />
              ) : (
                <input
                  {...common}
                  inputMode={spec.kind === "number" ? "decimal" : undefined}
                  onChange={(e) => onChange(spec.name, e.target.value)}
                />
              )}
            </Field>
            <Warning text={warning} />
          </div>
        );
      })}
    </div>
  );
}
