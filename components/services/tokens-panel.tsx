"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormAlert, INPUT_CLASS } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { createIngestionTokenAction, revokeIngestionTokenAction } from "@/lib/services/actions";

type Token = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: string | null;
};

export function TokensPanel({ serviceId, tokens, canEdit }: { serviceId: string; tokens: Token[]; canEdit: boolean }) {
  const [fresh, setFresh] = useState<string | null>(null);
  const create = useAction(createIngestionTokenAction, {
    onSuccess: ({ data }) => {
      setFresh(data?.token ?? null);
    },
  });
  const revoke = useAction(revokeIngestionTokenAction);
  const nameError = (create.result.validationErrors?.fieldErrors as Partial<Record<string, string[]>> | undefined)?.name?.[0];

  return (
    <div className="space-y-4">
      {fresh && (
        <div role="status" className="space-y-2 rounded-md border border-ok/40 bg-ok-soft p-3 text-sm">
          <p className="font-medium text-ok">Copy this token now: it is shown once and stored only as a hash.</p>
          <code className="block break-all rounded bg-surface px-2 py-1.5 font-mono text-xs" data-testid="new-token">
            {fresh}
          </code>
          <p className="text-xs text-muted">
            Push with <code>Authorization: Bearer &lt;token&gt;</code> to <code>POST /api/v1/metrics</code>.
          </p>
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="text-sm text-muted">No ingestion tokens.</p>
      ) : (
        <ul className="divide-y divide-line">
          {tokens.map((t) => (
            <li key={t.id} className="flex items-start justify-between gap-2 py-2 text-sm">
              <div className="min-w-0">
                <p className="font-medium">
                  {t.name} <span className="font-mono text-xs text-muted">{t.prefix}…</span>{" "}
                  {t.revokedAt && <Badge tone="danger">revoked</Badge>}
                </p>
                <p className="text-xs text-muted">
                  created <LocalTime iso={t.createdAt} />
                  {t.createdBy ? ` by ${t.createdBy}` : ""} · last used {t.lastUsedAt ? <LocalTime iso={t.lastUsedAt} /> : "never"}
                </p>
              </div>
              {canEdit && !t.revokedAt && (
                <Button
                  variant="ghost-danger"
                  className="px-2 py-1"
                  aria-label={`Revoke ${t.name}`}
                  disabled={revoke.isPending}
                  onClick={() => revoke.execute({ tokenId: t.id })}
                >
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {revoke.result.serverError && <FormAlert>{revoke.result.serverError}</FormAlert>}
      {canEdit && (
        <form
          aria-label="Create ingestion token"
          className="flex flex-wrap gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setFresh(null);
            create.execute({ serviceId, name: String(new FormData(e.currentTarget).get("name") ?? "") });
          }}
        >
          <label className="sr-only" htmlFor="token-name">
            Token name
          </label>
          <input id="token-name" name="name" placeholder="checkout exporter" className={`${INPUT_CLASS} w-auto flex-1`} />
          <Button type="submit" variant="secondary" disabled={create.isPending}>
            Create token
          </Button>
          {(nameError || create.result.serverError) && (
            <p role="alert" className="w-full text-xs text-danger">
              {nameError ?? create.result.serverError}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
