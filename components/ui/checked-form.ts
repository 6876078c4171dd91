"use client";
// What the forms that send a server action share: the field errors (the action's, with the browser's
// own check of the same schema on top), each control's wiring to its label, hint and message, and the
// check before sending.
import type { z } from "zod";
import { describedBy, INPUT_CLASS } from "@/components/ui/field";

export type FieldErrors = Partial<Record<string, string[]>>;

/**
 * The form's errors by field and each control's attributes. `idPrefix` + the field's name is the
 * control's id (the `Field` around it uses the same); `hasHint` links the control to its `Field`'s hint.
 */
export function fieldWiring(idPrefix: string, serverFieldErrors: unknown, clientErrors: FieldErrors) {
  const errors: FieldErrors = { ...((serverFieldErrors ?? {}) as FieldErrors), ...clientErrors };
  const err = (name: string) => errors[name]?.[0];
  const control = (name: string, hasHint = false) => ({
    id: `${idPrefix}${name}`,
    name,
    "aria-invalid": err(name) ? true : undefined,
    "aria-describedby": describedBy(`${idPrefix}${name}`, err(name), hasHint ? "hint" : undefined),
    className: INPUT_CLASS,
  });
  return { errors, err, control };
}

/**
 * Reads the form, checks it with the schema the change uses, and sends it only when it parses (the
 * server parses it again: the check here only saves a round trip). `clear` forgets what the last
 * success showed. `read` turns the form's data into the input when a field is not one value (several
 * checkboxes of one name); by default each field is its one value.
 */
export function submitChecked(
  e: React.FormEvent<HTMLFormElement>,
  schema: z.ZodType,
  on: { reset(): void; clear(): void; setClientErrors(v: FieldErrors): void; execute(input: never): void },
  read: (data: FormData) => Record<string, unknown> = (data) => Object.fromEntries(data),
) {
  e.preventDefault();
  on.reset();
  on.clear();
  const input = read(new FormData(e.currentTarget));
  const checked = schema.safeParse(input);
  if (!checked.success) {
    on.setClientErrors((checked.error as z.ZodError<Record<string, unknown>>).flatten().fieldErrors as FieldErrors);
    return;
  }
  on.setClientErrors({});
  on.execute(input as never);
}
