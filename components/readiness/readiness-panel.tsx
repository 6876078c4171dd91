"use client";

// "Ready to roll back?": the service's rollback-readiness checks, polled every READINESS_POLL_MS
// while the incident is being assessed (ReadinessProvider), beside the decision.
import { Badge } from "@/components/ui/badge";
import { PROPOSAL_READINESS_MAX_AGE_MS, READINESS_POLL_MS, STATUS_WORDS } from "@/lib/readiness/types";
import { CheckList } from "./check-list";
import { useReadiness } from "./readiness-provider";
import { STATUS_TONE } from "./tones";

export function ReadinessPanel() {
  const state = useReadiness();
  if (!state?.polling) return null;
  const { readiness, error } = state;
  const status = readiness?.status ?? "unknown";
  return (
    <section aria-labelledby="readiness-title" className="rounded-lg border border-line bg-surface p-4">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 id="readiness-title" className="text-sm font-semibold">
          Ready to roll back?
        </h3>
        <Badge tone={STATUS_TONE[status]}>
          <span data-testid="readiness-status">{readiness ? STATUS_WORDS[status] : "Checking…"}</span>
        </Badge>
      </div>
      {error && <p className="mb-2 text-sm text-warn">{error}</p>}
      {readiness && readiness.checks.length > 0 ? (
        <CheckList checks={readiness.checks} label="Readiness checks" />
      ) : (
        <p className="text-sm text-muted">{readiness ? "Not checked yet: the first checks are running." : "Running the checks…"}</p>
      )}
      <p className="mt-3 text-xs text-muted">
        Read-only checks from the service's runbooks (the previous version's health, the latest backup, the flag service, secrets on the
        server, the runbook itself), refreshed every {READINESS_POLL_MS / 1000} s while this page is open. A proposal records these results,
        or runs the checks again if they are more than {PROPOSAL_READINESS_MAX_AGE_MS / 1000} s old.
      </p>
    </section>
  );
}
