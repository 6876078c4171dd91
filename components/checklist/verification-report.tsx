// The verification report, rendered from its structured content (the same content the Markdown
// download is built from): summary, each section's items, the sign-offs.
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Fact } from "@/components/ui/fact";
import { LocalTime } from "@/components/ui/local-time";
import { type ReportContent, STABILITY_LABELS } from "@/lib/checklist/report";
import { STATUS_LABELS } from "@/lib/checklist/rules";

const TONE = { PENDING: "neutral", PASSED: "ok", FAILED: "danger", NOT_APPLICABLE: "neutral" } as const;

export function VerificationReport({
  content: r,
  version,
}: {
  content: ReportContent;
  version: { version: number; createdAt: Date; createdBy: { name: string } | null };
}) {
  const t = r.totals;
  return (
    <>
      <div>
        <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold">
          Verification report
          {r.lockedAt ? (
            <Badge tone="ok">Signed off</Badge>
          ) : r.waiver ? (
            <Badge tone="warn">Sign-off waived</Badge>
          ) : (
            <Badge tone="info">In progress</Badge>
          )}
        </h1>
        <p className="mt-1 text-sm text-muted">
          Version {version.version}, rendered <LocalTime iso={version.createdAt.toISOString()} />
          {version.createdBy && ` by ${version.createdBy.name}`}
        </p>
      </div>
      <Card title="Summary">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Fact label="Rollback ended">
            <LocalTime iso={r.rollbackEndedAt} />
          </Fact>
          <Fact label="Checks done">
            <span className="tabular-nums">
              {t.PASSED} of {t.all}
            </span>{" "}
            <span className="text-muted">
              ({t.automatic} by the metrics{t.overrides ? `, ${t.overrides} overridden` : ""})
            </span>
          </Fact>
          <Fact label="Failed / still open">
            <span className={t.FAILED > 0 ? "text-danger tabular-nums" : "tabular-nums"}>{t.FAILED}</span> /{" "}
            <span className="tabular-nums">{t.PENDING}</span>
          </Fact>
          <Fact label="Signed off">{r.lockedAt ? <LocalTime iso={r.lockedAt} /> : r.waiver ? "waived" : "not yet"}</Fact>
        </dl>
        {r.waiver && (
          <p className="mt-3 text-sm text-warn">
            Sign-off waived by {r.waiver.by ?? "a release manager"}: {r.waiver.reason}
          </p>
        )}
      </Card>
      {r.sections.map((s) => (
        <Card key={s.section} title={s.title}>
          <ul className="divide-y divide-line">
            {s.items.map((i) => (
              <li key={i.key} className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
                <div className="min-w-0 flex-1">
                  <p className="font-medium">{i.label}</p>
                  {i.detail && <p className="text-muted">{i.detail}</p>}
                  {i.note && <p className="whitespace-pre-wrap">Note: {i.note}</p>}
                </div>
                <div className="text-right">
                  <Badge tone={TONE[i.status]}>{STATUS_LABELS[i.status]}</Badge>
                  {i.by && i.at && (
                    <p className="mt-1 text-xs text-muted">
                      {i.by}, <LocalTime iso={i.at} />
                    </p>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </Card>
      ))}
      <Card title="Sign-off">
        <ul className="divide-y divide-line">
          {r.signOffs.map((s) => (
            <li key={s.role} className="py-2 text-sm">
              <p className="font-medium">
                {s.label}:{" "}
                {s.by ? (
                  <>
                    {s.by}, {s.at && <LocalTime iso={s.at} />}
                  </>
                ) : (
                  <span className="text-muted">not signed</span>
                )}
              </p>
              {s.by && (
                <p className="text-muted">
                  Rollback successful: {s.rollbackSuccessful ? "yes" : "no"} · System stable:{" "}
                  {s.systemStable ? STABILITY_LABELS[s.systemStable].toLowerCase() : "—"}
                  {s.outstandingIssues && ` · Outstanding: ${s.outstandingIssues}`}
                  {s.comments && ` · ${s.comments}`}
                </p>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
