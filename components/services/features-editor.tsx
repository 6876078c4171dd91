"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { addCriticalFeatureAction, removeCriticalFeatureAction } from "@/lib/services/actions";

type Feature = { id: string; name: string; probeUrl: string | null; expectedStatus: number; timeoutMs: number; degradedLatencyMs: number };

export function FeaturesEditor({ serviceId, features, canEdit }: { serviceId: string; features: Feature[]; canEdit: boolean }) {
  const formRef = useRef<HTMLFormElement>(null);
  const add = useAction(addCriticalFeatureAction, {
    onSuccess: () => {
      formRef.current?.reset();
    },
  });
  const remove = useAction(removeCriticalFeatureAction);
  const errors = (add.result.validationErrors?.fieldErrors ?? {}) as Partial<Record<string, string[]>>;
  const firstError = Object.values(errors)[0]?.[0];

  return (
    <div className="space-y-4">
      {features.length === 0 ? (
        <p className="text-sm text-muted">
          No critical features yet. Each one is probed over HTTP and shown as Working, Degraded or Failed during an incident.
        </p>
      ) : (
        <ul className="divide-y divide-line">
          {features.map((f) => (
            <li key={f.id} className="flex items-start justify-between gap-2 py-2 text-sm">
              <div className="min-w-0">
                <p className="font-medium">{f.name}</p>
                <p className="font-mono text-xs break-all text-muted">
                  {f.probeUrl
                    ? `GET ${f.probeUrl} → ${f.expectedStatus}, degraded above ${f.degradedLatencyMs} ms, timeout ${f.timeoutMs} ms`
                    : "not probed"}
                </p>
              </div>
              {canEdit && (
                <Button
                  variant="ghost-danger"
                  className="px-2 py-1"
                  aria-label={`Remove ${f.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.execute({ featureId: f.id })}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.result.serverError && <FormAlert>{remove.result.serverError}</FormAlert>}
      {canEdit && (
        <form
          ref={formRef}
          aria-label="Add critical feature"
          className="grid gap-2 sm:grid-cols-[1fr_2fr_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            add.execute({ serviceId, name: String(f.get("name") ?? ""), probeUrl: String(f.get("probeUrl") ?? "") } as never);
          }}
        >
          <label className="sr-only" htmlFor="feature-name">
            Feature name
          </label>
          <input id="feature-name" name="name" placeholder="Users can log in" className={INPUT_CLASS} />
          <label className="sr-only" htmlFor="feature-probe">
            Probe URL
          </label>
          <input id="feature-probe" name="probeUrl" placeholder="https://checkout.internal/health/login" className={INPUT_CLASS} />
          <Button type="submit" variant="secondary" disabled={add.isPending}>
            Add feature
          </Button>
          {(firstError || add.result.serverError) && (
            <p role="alert" className="text-xs text-danger sm:col-span-3">
              {firstError ?? add.result.serverError}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
