"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { type SignInState, signInAction } from "@/lib/auth/actions";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="space-y-4" aria-label="Sign in">
      {state.error && <FormAlert>{state.error}</FormAlert>}
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      <Field id="email" label="Email">
        <input id="email" name="email" type="email" autoComplete="username" required defaultValue={state.email} className={INPUT_CLASS} />
      </Field>
      <Field id="password" label="Password">
        <input id="password" name="password" type="password" autoComplete="current-password" required className={INPUT_CLASS} />
      </Field>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
