"use client";
// What the forms that create a secret (API tokens, Alertmanager integrations) share besides the
// checked form (components/ui/checked-form.ts): the secret, shown once.

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
