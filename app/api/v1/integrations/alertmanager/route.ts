// Alertmanager's webhook receiver: a per-integration token, payloads in webhook format version 4.
import { receiveAlertmanagerWebhook } from "@/lib/integrations/alertmanager/receive";

export const dynamic = "force-dynamic";

export const POST = receiveAlertmanagerWebhook;
