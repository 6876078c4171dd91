"use client";

// A release manager's share links of one incident: make one (how long it works, whether names show),
// copy its address once, revoke any. The address holds the secret, so it is shown only right after
// it is made; the list shows when each was made, until when it works, and whether it was revoked.
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, firstActionError, INPUT_CLASS } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { createShareLinkAction, revokeShareLinkAction } from "@/lib/share-links/actions";
import { DEFAULT_EXPIRY_DAYS, EXPIRY_CHOICES } from "@/lib/share-links/schemas";
import { formatUtc } from "@/lib/time/format";

export type ShareLinkItem = {
  id: string;
  showNames: boolean;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  createdBy: string | null;
  revokedBy: string | null;
  expired: boolean;
};

export function ShareLinksPanel({ incidentId, links }: { incidentId: string; links: ShareLinkItem[] }) {
  const [fresh, setFresh] = useState<string | null>(null);
  const create = useAction(createShareLinkAction, {
    onSuccess: ({ data }) => setFresh(data?.token ? `${window.location.origin}/share/${data.token}` : null),
  });
  const revoke = useAction(revokeShareLinkAction);
  const createError = firstActionError(create.result);

  return (
    <div className="space-y-4 rounded-lg border border-line bg-surface p-4">
      <p className="text-sm text-muted">
        A read-only page with this incident's status update and timeline, for people without an account. Nothing else of Backout is
        reachable from it; every opening is in the audit log.
      </p>
      {fresh && (
        <div role="status" className="space-y-2 rounded-md border border-ok/40 bg-ok-soft p-3 text-sm">
          <p className="font-medium text-ok">Copy this link now: it is shown once and stored only as a hash.</p>
          <input
            readOnly
            aria-label="New share link"
            value={fresh}
            onFocus={(e) => e.currentTarget.select()}
            className={`${INPUT_CLASS} font-mono text-xs`}
            data-testid="new-share-link"
          />
        </div>
      )}
      <form
        aria-label="Create share link"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setFresh(null);
          create.execute({ incidentId, expiresInDays: Number(form.get("expiresInDays")), showNames: form.get("showNames") === "on" });
        }}
      >
        <Field id="share-expiry" label="Works for">
          <select id="share-expiry" name="expiresInDays" defaultValue={DEFAULT_EXPIRY_DAYS} className={INPUT_CLASS}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.days} value={c.days}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="showNames" className="size-4" />
          Show people's names
        </label>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create share link"}
        </Button>
      </form>
      {createError && <FormAlert>{createError}</FormAlert>}
      {links.length > 0 && (
        <ul className="divide-y divide-line border-t border-line" aria-label="Share links">
          {links.map((l) => (
            <li key={l.id} className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
              <div className="min-w-0">
                <p>
                  Made <LocalTime iso={l.createdAt} />
                  {l.createdBy ? ` by ${l.createdBy}` : ""} {l.showNames ? <Badge tone="warn">shows names</Badge> : null}{" "}
                  {l.revokedAt ? (
                    <Badge tone="danger">revoked</Badge>
                  ) : l.expired ? (
                    <Badge tone="neutral">expired</Badge>
                  ) : (
                    <Badge tone="ok">active</Badge>
                  )}
                </p>
                <p className="text-xs text-muted">
                  {l.revokedAt ? (
                    <>
                      Revoked <LocalTime iso={l.revokedAt} />
                      {l.revokedBy ? ` by ${l.revokedBy}` : ""}
                    </>
                  ) : (
                    <>
                      {l.expired ? "Expired" : "Works until"} <LocalTime iso={l.expiresAt} />
                    </>
                  )}
                </p>
              </div>
              {!l.revokedAt && !l.expired && (
                <Button
                  variant="ghost-danger"
                  className="px-2 py-1"
                  aria-label={`Revoke the link made ${formatUtc(l.createdAt, "minute")}`}
                  disabled={revoke.isPending}
                  onClick={() => revoke.execute({ shareLinkId: l.id })}
                >
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {revoke.result.serverError && <FormAlert>{revoke.result.serverError}</FormAlert>}
    </div>
  );
}
