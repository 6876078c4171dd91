import type { Metadata } from "next";
import Link from "next/link";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { UserSessions } from "@/components/admin/user-sessions";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { can, ROLE_LABELS } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { listRecentAudit, listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const me = await requireUser();
  if (!can(me.role, "user:manage")) {
    return (
      <Card title="Admin">
        <p className="text-sm">Only admins manage users and read the audit log.</p>
      </Card>
    );
  }
  const [users, audit] = await Promise.all([listUsers(), listRecentAudit(40)]);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Admin</h1>
        <p className="flex gap-3 text-sm">
          <Link href="/admin/api-tokens" className="underline">
            API tokens
          </Link>
          <Link href="/admin/integrations" className="underline">
            Integrations
          </Link>
          <Link href="/admin/notifications" className="underline">
            Notifications
          </Link>
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <Card title={`Users (${users.length})`}>
          <ul className="-my-2 divide-y divide-line">
            {users.map((u) => (
              <li key={u.id} className="flex flex-wrap items-center gap-3 py-2.5" data-testid={`user-${u.email}`}>
                <div className="min-w-48 flex-1">
                  <p className="text-sm font-medium">
                    {u.name} {u.disabledAt && <Badge tone="danger">disabled</Badge>}
                  </p>
                  <p className="text-xs text-muted">
                    {u.email} · {ROLE_LABELS[u.role]} · last sign-in{" "}
                    {u.lastSignInAt ? <LocalTime iso={u.lastSignInAt.toISOString()} /> : "never"}
                  </p>
                  <UserSessions sessions={u.sessions} />
                </div>
                <UserRowActions
                  user={{ id: u.id, name: u.name, role: u.role, disabled: Boolean(u.disabledAt), openSessions: u.sessions.length }}
                  isSelf={u.id === me.id}
                />
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Add a user">
          <CreateUserForm />
        </Card>
      </div>
      <Card title="Audit log (latest 40)">
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-muted">
              <tr>
                <th className="py-1.5 pr-4 font-medium">When</th>
                <th className="py-1.5 pr-4 font-medium">Who</th>
                <th className="py-1.5 pr-4 font-medium">Action</th>
                <th className="py-1.5 pr-4 font-medium">Outcome</th>
                <th className="py-1.5 font-medium">Target</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {audit.map((a) => (
                <tr key={a.id.toString()}>
                  <td className="py-1.5 pr-4 whitespace-nowrap text-muted">
                    <LocalTime iso={a.at.toISOString()} />
                  </td>
                  <td className="py-1.5 pr-4">{a.actorEmail ?? "system"}</td>
                  <td className="py-1.5 pr-4 font-mono text-xs">{a.action}</td>
                  <td className="py-1.5 pr-4">
                    <Badge tone={a.outcome === "ALLOWED" ? "ok" : "danger"}>{a.outcome.toLowerCase()}</Badge>
                  </td>
                  <td className="py-1.5 font-mono text-xs text-muted">
                    {a.entityType}
                    {a.entityId ? ` ${a.entityId.slice(0, 10)}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
