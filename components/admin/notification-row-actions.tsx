"use client";

import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { disableNotificationDestinationAction, resendNotificationDeliveryAction } from "@/lib/notifications/actions";

function ActionError({ error }: { error?: string }) {
  return error ? (
    <span role="alert" className="text-xs text-danger">
      {error}
    </span>
  ) : null;
}

export function DisableDestination({ destination }: { destination: { id: string; name: string } }) {
  const disable = useAction(disableNotificationDestinationAction);
  return (
    <div className="flex items-center gap-2">
      <ActionError error={disable.result.serverError} />
      <Button
        variant="ghost-danger"
        className="px-2.5 py-1"
        aria-label={`Disable ${destination.name}`}
        disabled={disable.isPending}
        onClick={() => disable.execute({ destinationId: destination.id })}
      >
        Disable
      </Button>
    </div>
  );
}

export function SendAgain({ delivery }: { delivery: { id: string; label: string } }) {
  const resend = useAction(resendNotificationDeliveryAction);
  return (
    <div className="flex items-center justify-end gap-2">
      <ActionError error={resend.result.serverError} />
      <Button
        variant="secondary"
        className="px-2.5 py-1 text-xs"
        aria-label={`Send again: ${delivery.label}`}
        disabled={resend.isPending || resend.hasSucceeded}
        onClick={() => resend.execute({ deliveryId: delivery.id })}
      >
        {resend.hasSucceeded ? "Queued" : "Send again"}
      </Button>
    </div>
  );
}
