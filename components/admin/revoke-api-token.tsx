"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { revokeApiTokenAction } from "@/lib/api/actions";

export function RevokeApiToken({ token }: { token: { id: string; name: string } }) {
  const revoke = useAction(revokeApiTokenAction);
  return (
    <div className="flex items-center gap-2">
      {revoke.result.serverError && (
        <span role="alert" className="text-xs text-danger">
          {revoke.result.serverError}
        </span>
      )}
      <Button
        variant="ghost-danger"
        className="px-2.5 py-1"
        aria-label={`Revoke ${token.name}`}
        disabled={revoke.isPending}
        onClick={() => revoke.execute({ tokenId: token.id })}
      >
        Revoke
      </Button>
    </div>
  );
}
