// A service's rollback readiness on the service list: green / amber / red and what is wrong,
// streamed in (Suspense) so a slow probe never holds up the page. Checks older than a few minutes
// are run again first.
import { Suspense } from "react";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { currentReadiness } from "@/lib/readiness/store";
import { describeCheck, STATUS_WORDS } from "@/lib/readiness/types";
import { STATUS_TONE } from "./tones";

/** The service list refreshes checks older than this (the incident page keeps its own to a minute). */
const LIST_MAX_AGE_MS = 5 * 60_000;

async function Readiness({ serviceId }: { serviceId: string }) {
  const readiness = await currentReadiness(serviceId, LIST_MAX_AGE_MS);
  const problems = readiness.checks.filter((c) => c.result !== "pass");
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={STATUS_TONE[readiness.status]}>
          <span data-testid="service-readiness">{STATUS_WORDS[readiness.status]}</span>
        </Badge>
        {readiness.checkedAt && (
          <span className="text-xs text-muted">
            checked <LocalTime iso={readiness.checkedAt} style="time" />
          </span>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="list-disc pl-5 text-xs text-muted">
          {problems.map((c) => (
            <li key={c.id}>
              {c.runbookName ? `${c.runbookName} — ` : ""}
              {describeCheck(c)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ServiceReadiness({ serviceId }: { serviceId: string }) {
  return (
    <section aria-label="Rollback readiness" className="mt-3">
      <p className="text-xs uppercase tracking-wide text-muted">Rollback readiness</p>
      <div className="mt-1">
        <Suspense fallback={<span className="text-xs text-muted">Checking…</span>}>
          <Readiness serviceId={serviceId} />
        </Suspense>
      </div>
    </section>
  );
}
