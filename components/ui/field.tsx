import type { ReactNode } from "react";

export const INPUT_CLASS =
  "w-full rounded-md border border-line bg-surface px-3 py-2 text-sm text-fg placeholder:text-muted/70 aria-[invalid=true]:border-danger";

/** A labelled form control with its hint and its validation message, wired for screen readers. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

export function describedBy(id: string, error?: string, hint?: string): string | undefined {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger">
      {children}
    </div>
  );
}

/** The first thing a refused action says: a field's message (it names the field), else the server's. */
export function firstActionError(result: { validationErrors?: unknown; serverError?: unknown }): string | undefined {
  const fieldErrors = (result.validationErrors as { fieldErrors?: Partial<Record<string, string[]>> } | undefined)?.fieldErrors;
  const first = Object.values(fieldErrors ?? {})[0]?.[0];
  return first ?? (typeof result.serverError === "string" ? result.serverError : undefined);
}
