import type { Metadata } from "next";
import Link from "next/link";
import { ApiTokenForm } from "@/components/admin/api-token-form";
import { RevokeApiToken } from "@/components/admin/revoke-api-token";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { listApiTokens, listTokenOwners } from "@/lib/api/queries";
import { can, ROLE_LABELS } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const me = await requireUser();
  if (!can(me.role, "user:manage")) {
    return (
      <Card title="API tokens">
        <p className="text-sm">Only admins create and revoke API tokens.</p>
      </Card>
    );
  }
  const [tokens, people] = await Promise.all([listApiTokens(), listTokenOwners()]);
  const now = Date.now();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="text-sm text-muted">
          <Link href="/admin" className="underline">
            Users and audit log
          </Link>{" "}
          ·{" "}
          <Link href="/api-reference" className="underline">
            API reference
          </Link>
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Card title={`Tokens (${tokens.length})`}>
          {tokens.length === 0 ? (
            <p className="text-sm text-muted">No tokens yet.</p>
          ) : (
            <ul className="-my-2 divide-y divide-line">
              {tokens.map((t) => {
                const expired = t.expiresAt !== null && t.expiresAt.getTime() <= now;
                return (
                  <li key={t.id} className="flex flex-wrap items-center gap-3 py-2.5" data-testid={`api-token-${t.name}`}>
                    <div className="min-w-48 flex-1 space-y-0.5">
                      <p className="text-sm font-medium">
                        {t.name} <Badge tone={t.scope === "WRITE" ? "warn" : "info"}>{t.scope === "WRITE" ? "write" : "read"}</Badge>{" "}
                        {t.revokedAt ? <Badge tone="danger">revoked</Badge> : expired ? <Badge tone="danger">expired</Badge> : null}
                      </p>
                      <p className="text-xs text-muted">
                        <span className="font-mono">{t.prefix}…</span> ·{" "}
                        {t.kind === "PERSONAL" ? `acts as ${t.user.name}` : "service account"} ({ROLE_LABELS[t.user.role]})
                        {t.user.disabledAt ? " · account disabled" : ""}
                      </p>
                      <p className="text-xs text-muted">
                        created <LocalTime iso={t.createdAt.toISOString()} />
                        {t.createdBy ? ` by ${t.createdBy.name}` : ""} · last used{" "}
                        {t.lastUsedAt ? <LocalTime iso={t.lastUsedAt.toISOString()} /> : "never"} ·{" "}
                        {t.expiresAt ? (
                          <>
                            {expired ? "expired" : "expires"} <LocalTime iso={t.expiresAt.toISOString()} />
                          </>
                        ) : (
                          "never expires"
                        )}
                        {t.revokedAt && (
                          <>
                            {" "}
                            · revoked <LocalTime iso={t.revokedAt.toISOString()} />
                            {t.revokedBy ? ` by ${t.revokedBy.name}` : ""}
                          </>
                        )}
                      </p>
                    </div>
                    {!t.revokedAt && <RevokeApiToken token={{ id: t.id, name: t.name }} />}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        {/* First on a phone: the new token is shown in this card, once. */}
        <Card title="Create a token" className="order-first lg:order-none">
          <ApiTokenForm people={people} />
        </Card>
      </div>
    </div>
  );
}
