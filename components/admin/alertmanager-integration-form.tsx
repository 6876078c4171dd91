"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { ShownOnce } from "@/components/admin/secret-form";
import { SeverityOptions } from "@/components/incidents/severity-options";
import { Button } from "@/components/ui/button";
import { type FieldErrors, fieldWiring, submitChecked } from "@/components/ui/checked-form";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { createAlertmanagerIntegrationAction } from "@/lib/integrations/alertmanager/actions";
import { createIntegrationSchema, SUSPECT_WINDOW_CHOICES } from "@/lib/integrations/alertmanager/schemas";

export function AlertmanagerIntegrationForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [shown, setShown] = useState<string | null>(null);
  const { execute, result, isPending, reset } = useAction(createAlertmanagerIntegrationAction, {
    onSuccess: ({ data }) => {
      setShown(data?.token ?? null);
      formRef.current?.reset();
    },
  });
  const { err, control } = fieldWiring("am-", result.validationErrors?.fieldErrors, clientErrors);

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) =>
    submitChecked(e, createIntegrationSchema, { reset, clear: () => setShown(null), setClientErrors, execute });

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Create Alertmanager integration">
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {shown && <ShownOnce secret={shown} testId="new-alertmanager-token" hint={"Put it in the receiver's http_config."} />}
      <Field id="am-name" label="Name" error={err("name")} hint="Which Alertmanager, e.g. “production”.">
        <input {...control("name", true)} autoComplete="off" />
      </Field>
      <Field id="am-serviceLabel" label="Service label" error={err("serviceLabel")} hint="The alert label whose value is a service's slug.">
        <input {...control("serviceLabel", true)} defaultValue="service" className={`${INPUT_CLASS} font-mono`} autoComplete="off" />
      </Field>
      <Field
        id="am-defaultSeverity"
        label="Severity of incidents it opens"
        error={err("defaultSeverity")}
        hint="Unless the alert's severity label says critical, warning or info."
      >
        <select {...control("defaultSeverity", true)} defaultValue="SEV2">
          <SeverityOptions />
        </select>
      </Field>
      <Field
        id="am-suspectWindowMinutes"
        label="Suspect window"
        error={err("suspectWindowMinutes")}
        hint="An alert firing this soon after a deploy of its service marks that deploy as the suspect."
      >
        <select {...control("suspectWindowMinutes", true)} defaultValue="60">
          {SUSPECT_WINDOW_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m < 60 ? `${m} minutes` : `${m / 60} hour${m === 60 ? "" : "s"}`}
            </option>
          ))}
        </select>
      </Field>
      <Button type="submit" disabled={isPending}>
        {isPending ? "Creating…" : "Create integration"}
      </Button>
    </form>
  );
}
