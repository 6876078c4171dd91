"use client";
// What the forms that create a secret (API tokens, Alertmanager integrations) share: the check
// before sending, and the secret shown once.
import type { z } from "zod";

export type FieldErrors = Partial<Record<string, string[]>>;

/** Reads the form, checks it with the schema the change uses, and sends it only when it parses. */
export function submitChecked(
  e: React.FormEvent<HTMLFormElement>,
  schema: z.ZodType,
  on: { reset(): void; setShown(v: null): void; setClientErrors(v: FieldErrors): void; execute(input: never): void },
) {
  e.preventDefault();
  on.reset();
  on.setShown(null);
  const input = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
  const checked = schema.safeParse(input);
  if (!checked.success) {
    on.setClientErrors((checked.error as z.ZodError<Record<string, unknown>>).flatten().fieldErrors as FieldErrors);
    return;
  }
  on.setClientErrors({});
  on.execute(input as never);
}

export function ShownOnce({ secret, testId, hint, what = "token" }: { secret: string; testId: string; hint?: string; what?: string }) {
  return (
    <div role="status" className="space-y-1 rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
      <p className="font-medium">
        Copy the {what} now: it is shown only once.{hint ? ` ${hint}` : ""}
      </p>
      <code data-testid={testId} className="block break-all rounded bg-surface px-2 py-1 font-mono text-xs text-fg select-all">
        {secret}
      </code>
    </div>
  );
}
