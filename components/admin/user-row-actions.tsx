"use client";

import { useAction } from "next-safe-action/hooks";
import { RoleOptions } from "@/components/admin/role-options";
import { Button } from "@/components/ui/button";
import type { Role } from "@/generated/prisma/enums";
import { changeRoleAction, disableUserAction, enableUserAction, endUserSessionsAction } from "@/lib/users/actions";

export function UserRowActions({
  user,
  isSelf,
}: {
  user: { id: string; name: string; role: Role; disabled: boolean; openSessions: number };
  isSelf: boolean;
}) {
  const role = useAction(changeRoleAction);
  const disable = useAction(disableUserAction);
  const enable = useAction(enableUserAction);
  const endSessions = useAction(endUserSessionsAction);
  const toggle = user.disabled ? enable : disable;
  const error = role.result.serverError ?? disable.result.serverError ?? enable.result.serverError ?? endSessions.result.serverError;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.name}
      </label>
      <select
        id={`role-${user.id}`}
        value={user.role}
        disabled={role.isPending}
        onChange={(e) => role.execute({ userId: user.id, role: e.target.value as Role })}
        className="w-40 rounded-md border border-line bg-surface px-2 py-1 text-sm"
      >
        <RoleOptions />
      </select>
      <Button
        variant="secondary"
        className="px-2.5 py-1"
        aria-label={`Sign ${user.name} out everywhere`}
        disabled={endSessions.isPending || user.openSessions === 0}
        onClick={() => endSessions.execute({ userId: user.id })}
      >
        Sign out everywhere
      </Button>
      {isSelf ? (
        <span className="w-20 text-center text-xs text-muted">you</span>
      ) : (
        <Button
          variant={user.disabled ? "secondary" : "ghost-danger"}
          className="w-20 px-2.5 py-1"
          aria-label={user.disabled ? `Enable ${user.name}` : `Disable ${user.name}`}
          disabled={toggle.isPending}
          onClick={() => toggle.execute({ userId: user.id })}
        >
          {user.disabled ? "Enable" : "Disable"}
        </Button>
      )}
      {error && (
        <p role="alert" className="w-full text-right text-xs text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
