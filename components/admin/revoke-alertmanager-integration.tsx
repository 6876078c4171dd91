"use client";

import { useAction } from "next-safe-action/hooks";
import { revokeAlertmanagerIntegrationAction } from "@/lib/integrations/alertmanager/actions";
import { RevokeButton } from "./revoke-button";

export function RevokeAlertmanagerIntegration({ integration }: { integration: { id: string; name: string } }) {
  const revoke = useAction(revokeAlertmanagerIntegrationAction);
  return (
    <RevokeButton
      name={integration.name}
      pending={revoke.isPending}
      error={revoke.result.serverError}
      onRevoke={() => revoke.execute({ integrationId: integration.id })}
    />
  );
}
