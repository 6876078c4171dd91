"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { SeverityOptions } from "@/components/incidents/severity-options";
import { useDisplayZone } from "@/components/time/time-zone";
import { Button } from "@/components/ui/button";
import { type FieldErrors, fieldWiring } from "@/components/ui/checked-form";
import { Field, FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { declareIncidentAction } from "@/lib/incidents/actions";
import { declareIncidentSchema } from "@/lib/incidents/schemas";
import { instantToWallTime, wallTimeToInstant, zoneAbbreviation } from "@/lib/time/format";

type Release = {
  serviceId: string;
  version: string;
  previousVersion: string | null;
  deployedAt: string;
  environment: string;
  commitSha: string | null;
};

/** `<input type="datetime-local">` speaks wall-clock time in the page's zone; the server gets UTC ISO. */
function toLocalInput(iso: string, zone: string): string {
  return instantToWallTime(iso, zone).slice(0, 16);
}
function fromLocalInput(value: FormDataEntryValue | null, zone: string): string {
  if (typeof value !== "string" || value === "") return "";
  return wallTimeToInstant(value, zone)?.toISOString() ?? value;
}

export function DeclareIncidentForm({ services, releases }: { services: { id: string; name: string }[]; releases: Release[] }) {
  const router = useRouter();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [prefill, setPrefill] = useState<Release | null>(null);
  const { zone } = useDisplayZone();
  const [now] = useState(() => toLocalInput(new Date().toISOString(), zone));
  const { execute, result, isPending, reset } = useAction(declareIncidentAction, {
    onSuccess: ({ data }) => {
      if (data) router.push(`/incidents/${data.number}`);
    },
  });

  const { errors, err, control } = fieldWiring("", result.validationErrors?.fieldErrors, clientErrors);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reset();
    const form = new FormData(event.currentTarget);
    const input = {
      title: String(form.get("title") ?? ""),
      serviceId: String(form.get("serviceId") ?? ""),
      badVersion: String(form.get("badVersion") ?? ""),
      previousVersion: String(form.get("previousVersion") ?? ""),
      severity: String(form.get("severity") ?? "") as never,
      deployedAt: fromLocalInput(form.get("deployedAt"), zone),
      detectedAt: fromLocalInput(form.get("detectedAt"), zone),
      summary: String(form.get("summary") ?? ""),
    };
    const checked = declareIncidentSchema.safeParse(input);
    if (!checked.success) {
      setClientErrors(checked.error.flatten().fieldErrors as FieldErrors);
      return;
    }
    setClientErrors({});
    execute(input);
  }

  function onServiceChange(serviceId: string) {
    setPrefill(releases.find((r) => r.serviceId === serviceId) ?? null);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Declare incident">
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {Object.keys(errors).length > 0 && <FormAlert>Nothing was declared yet: fix the fields marked below.</FormAlert>}
      <Field id="title" label="What is happening?" error={err("title")} hint="One line a stakeholder understands.">
        <input {...control("title", true)} placeholder="Checkout failing for 15% of requests" maxLength={200} />
      </Field>

      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="serviceId" label="Service" error={err("serviceId")}>
          <select {...control("serviceId")} defaultValue="" onChange={(e) => onServiceChange(e.target.value)}>
            <option value="" disabled>
              Choose a service…
            </option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="severity" label="Severity" error={err("severity")}>
          <select {...control("severity")} defaultValue="">
            <option value="" disabled>
              Choose a severity…
            </option>
            <SeverityOptions />
          </select>
        </Field>
      </div>

      {prefill && (
        <p className="rounded-md border border-line bg-surface px-3 py-2 text-sm" data-testid="deploy-proposal">
          Proposed from the latest deploy: <span className="font-mono">{prefill.version}</span>
          {prefill.previousVersion && (
            <>
              {" "}
              (previous <span className="font-mono">{prefill.previousVersion}</span>)
            </>
          )}{" "}
          to {prefill.environment} at {toLocalInput(prefill.deployedAt, zone).replace("T", " ")} {zoneAbbreviation(zone)}
          {prefill.commitSha && (
            <>
              , commit <span className="font-mono">{prefill.commitSha.slice(0, 12)}</span>
            </>
          )}
          . The deploy time is the boundary of the baseline; the previous version is the rollback target. Change them if they are wrong.
        </p>
      )}
      <div className="grid gap-5 sm:grid-cols-2" key={prefill ? `${prefill.serviceId}-${prefill.version}` : "none"}>
        <Field id="badVersion" label="Bad version (deployed)" error={err("badVersion")}>
          <input
            {...control("badVersion")}
            defaultValue={prefill?.version ?? ""}
            placeholder="v2.5.0"
            className={`${INPUT_CLASS} font-mono`}
          />
        </Field>
        <Field id="previousVersion" label="Previous version (roll back to)" error={err("previousVersion")}>
          <input
            {...control("previousVersion")}
            defaultValue={prefill?.previousVersion ?? ""}
            placeholder="v2.4.0"
            className={`${INPUT_CLASS} font-mono`}
          />
        </Field>
        <Field id="deployedAt" label={`Deployed at (${zoneAbbreviation(zone)})`} error={err("deployedAt")}>
          <input {...control("deployedAt")} type="datetime-local" defaultValue={prefill ? toLocalInput(prefill.deployedAt, zone) : ""} />
        </Field>
        <Field id="detectedAt" label={`Detected at (${zoneAbbreviation(zone)})`} error={err("detectedAt")}>
          <input {...control("detectedAt")} type="datetime-local" defaultValue={now} />
        </Field>
      </div>

      <Field id="summary" label="Summary (optional)" error={err("summary")} hint="What you see, since when, what you already know.">
        <textarea {...control("summary", true)} rows={4} maxLength={5000} />
      </Field>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={isPending}>
          {isPending ? "Declaring…" : "Declare incident"}
        </Button>
        <p className="text-xs text-muted">Declaring records the incident and starts its timeline; it is audited.</p>
      </div>
    </form>
  );
}
