"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { RoleOptions } from "@/components/admin/role-options";
import { Button } from "@/components/ui/button";
import { type FieldErrors, fieldWiring, submitChecked } from "@/components/ui/checked-form";
import { Field, FormAlert } from "@/components/ui/field";
import { createUserAction } from "@/lib/users/actions";
import { createUserSchema } from "@/lib/users/schemas";

export function CreateUserForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<string | null>(null);
  const { execute, result, isPending, reset } = useAction(createUserAction, {
    onSuccess: ({ data }) => {
      setCreated(data?.email ?? null);
      formRef.current?.reset();
    },
  });
  const { err, control } = fieldWiring("new-", result.validationErrors?.fieldErrors, clientErrors);

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) =>
    submitChecked(e, createUserSchema, { reset, clear: () => setCreated(null), setClientErrors, execute });

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Create user">
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {created && (
        <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
          Created {created}. Give them the password over a private channel and ask them to keep it safe.
        </p>
      )}
      <Field id="new-name" label="Name" error={err("name")}>
        <input {...control("name")} autoComplete="off" />
      </Field>
      <Field id="new-email" label="Email" error={err("email")}>
        <input {...control("email")} type="email" autoComplete="off" />
      </Field>
      <Field id="new-role" label="Role" error={err("role")}>
        <select {...control("role")} defaultValue="RESPONDER">
          <RoleOptions />
        </select>
      </Field>
      <Field id="new-password" label="Initial password" error={err("password")} hint="At least 10 characters.">
        <input {...control("password", true)} type="password" autoComplete="new-password" />
      </Field>
      <Button type="submit" disabled={isPending}>
        {isPending ? "Creating…" : "Create user"}
      </Button>
    </form>
  );
}
