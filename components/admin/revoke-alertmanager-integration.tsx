"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { revokeAlertmanagerIntegrationAction } from "@/lib/integrations/alertmanager/actions";

export function RevokeAlertmanagerIntegration({ integration }: { integration: { id: string; name: string } }) {
  const revoke = useAction(revokeAlertmanagerIntegrationAction);
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
        aria-label={`Revoke ${integration.name}`}
        disabled={revoke.isPending}
        onClick={() => revoke.execute({ integrationId: integration.id })}
      >
        Revoke
      </Button>
    </div>
  );
}
