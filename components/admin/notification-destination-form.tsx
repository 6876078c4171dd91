"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { ShownOnce } from "@/components/admin/secret-form";
import { Button } from "@/components/ui/button";
import { type FieldErrors, fieldWiring, submitChecked } from "@/components/ui/checked-form";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { createNotificationDestinationAction } from "@/lib/notifications/actions";
import { EVENT_LABELS, NOTIFICATION_EVENTS } from "@/lib/notifications/events";
import { createDestinationSchema, FORMAT_LABELS } from "@/lib/notifications/schemas";

export function NotificationDestinationForm({ services }: { services: { id: string; name: string }[] }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [secret, setSecret] = useState<string | null>(null);
  const { execute, result, isPending, reset } = useAction(createNotificationDestinationAction, {
    onSuccess: ({ data }) => {
      setSecret(data?.secret ?? null);
      formRef.current?.reset();
    },
  });
  const { err, control } = fieldWiring("nd-", result.validationErrors?.fieldErrors, clientErrors);

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) =>
    submitChecked(e, createDestinationSchema, { reset, clear: () => setSecret(null), setClientErrors, execute }, (data) => ({
      name: String(data.get("name") ?? ""),
      format: String(data.get("format") ?? ""),
      url: String(data.get("url") ?? ""),
      serviceId: String(data.get("serviceId") ?? ""),
      // Several checkboxes share the name "events": read them all.
      events: data.getAll("events").map(String),
    }));

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Add notification destination">
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {result.data && !secret && (
        <p role="status" className="rounded-md bg-ok-soft px-3 py-2 text-sm text-ok">
          Destination added.
        </p>
      )}
      {secret && (
        <ShownOnce secret={secret} what="signing secret" testId="new-destination-secret" hint="The receiver verifies signatures with it." />
      )}
      <Field id="nd-name" label="Name" error={err("name")} hint="Where it goes, e.g. “#incidents” or “pager bridge”.">
        <input {...control("name", true)} autoComplete="off" />
      </Field>
      <Field id="nd-format" label="Format" error={err("format")}>
        <select {...control("format")} defaultValue="SLACK">
          {Object.entries(FORMAT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field id="nd-url" label="Webhook URL" error={err("url")} hint="http(s) only; stored server-side, shown afterwards as its host.">
        <input {...control("url", true)} type="url" inputMode="url" autoComplete="off" className={`${INPUT_CLASS} font-mono`} />
      </Field>
      <Field id="nd-serviceId" label="Service" error={err("serviceId")} hint="Only this service's incidents, or every service.">
        <select {...control("serviceId", true)} defaultValue="">
          <option value="">Every service</option>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset className="space-y-1.5" aria-describedby={err("events") ? "nd-events-error" : undefined}>
        <legend className="mb-1 text-sm font-medium">Events</legend>
        {NOTIFICATION_EVENTS.map((event) => (
          <label key={event} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="events"
              value={event}
              defaultChecked={event === "INCIDENT_DECLARED"}
              className="size-4 accent-[var(--accent)]"
            />
            {EVENT_LABELS[event]}
          </label>
        ))}
        {err("events") && (
          <p id="nd-events-error" className="text-xs font-medium text-danger">
            {err("events")}
          </p>
        )}
      </fieldset>
      <Button type="submit" disabled={isPending}>
        {isPending ? "Adding…" : "Add destination"}
      </Button>
    </form>
  );
}
