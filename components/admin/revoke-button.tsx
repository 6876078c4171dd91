"use client";

import { Button } from "@/components/ui/button";

/** The Revoke button of a token-like row, with the refusal next to it. */
export function RevokeButton({ name, pending, error, onRevoke }: { name: string; pending: boolean; error?: string; onRevoke: () => void }) {
  return (
    <div className="flex items-center gap-2">
      {error && (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      )}
      <Button variant="ghost-danger" className="px-2.5 py-1" aria-label={`Revoke ${name}`} disabled={pending} onClick={onRevoke}>
        Revoke
      </Button>
    </div>
  );
}
