"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { RoleOptions } from "@/components/admin/role-options";
import { ShownOnce } from "@/components/admin/secret-form";
import { Button } from "@/components/ui/button";
import { type FieldErrors, fieldWiring, submitChecked } from "@/components/ui/checked-form";
import { Field, FormAlert } from "@/components/ui/field";
import { createApiTokenAction } from "@/lib/api/actions";
import { createApiTokenSchema, SCOPE_LABELS, TOKEN_EXPIRY_CHOICES } from "@/lib/api/schemas";
import { ROLE_LABELS } from "@/lib/auth/roles";

export function ApiTokenForm({ people }: { people: { id: string; name: string; email: string; role: keyof typeof ROLE_LABELS }[] }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<"PERSONAL" | "SERVICE">("PERSONAL");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [shown, setShown] = useState<string | null>(null);
  const { execute, result, isPending, reset } = useAction(createApiTokenAction, {
    onSuccess: ({ data }) => {
      setShown(data?.token ?? null);
      formRef.current?.reset();
      setKind("PERSONAL");
    },
  });
  const { err, control } = fieldWiring("token-", result.validationErrors?.fieldErrors, clientErrors);

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) =>
    submitChecked(e, createApiTokenSchema, { reset, clear: () => setShown(null), setClientErrors, execute });

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Create API token">
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {shown && <ShownOnce secret={shown} testId="new-api-token" />}
      <Field id="token-name" label="Name" error={err("name")} hint="What uses it, e.g. “deploy pipeline”.">
        <input {...control("name", true)} autoComplete="off" />
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Acts as</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-1.5">
            <input type="radio" name="kind" value="PERSONAL" checked={kind === "PERSONAL"} onChange={() => setKind("PERSONAL")} /> A person
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" name="kind" value="SERVICE" checked={kind === "SERVICE"} onChange={() => setKind("SERVICE")} /> A service
            (its own account)
          </label>
        </div>
      </fieldset>
      {kind === "PERSONAL" ? (
        <Field id="token-userId" label="Person" error={err("userId")} hint="The token has this person's role, as it is at each request.">
          <select {...control("userId", true)} defaultValue="">
            <option value="" disabled>
              Choose…
            </option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({ROLE_LABELS[p.role]}, {p.email})
              </option>
            ))}
          </select>
        </Field>
      ) : (
        <Field id="token-role" label="Role" error={err("role")}>
          <select {...control("role")} defaultValue="RESPONDER">
            <RoleOptions />
          </select>
        </Field>
      )}
      <Field id="token-scope" label="Scope" error={err("scope")}>
        <select {...control("scope")} defaultValue="READ">
          {(["READ", "WRITE"] as const).map((s) => (
            <option key={s} value={s}>
              {SCOPE_LABELS[s]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="token-expiresInDays" label="Expires" error={err("expiresInDays")}>
        <select {...control("expiresInDays")} defaultValue="90">
          {TOKEN_EXPIRY_CHOICES.map((c) => (
            <option key={c.days} value={c.days}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      <Button type="submit" disabled={isPending}>
        {isPending ? "Creating…" : "Create token"}
      </Button>
    </form>
  );
}
