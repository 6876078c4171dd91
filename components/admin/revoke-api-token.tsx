"use client";

import { useAction } from "next-safe-action/hooks";
import { revokeApiTokenAction } from "@/lib/api/actions";
import { RevokeButton } from "./revoke-button";

export function RevokeApiToken({ token }: { token: { id: string; name: string } }) {
  const revoke = useAction(revokeApiTokenAction);
  return (
    <RevokeButton
      name={token.name}
      pending={revoke.isPending}
      error={revoke.result.serverError}
      onRevoke={() => revoke.execute({ tokenId: token.id })}
    />
  );
}
