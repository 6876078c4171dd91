"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { generateRcaAction } from "@/lib/rca/actions";

/** "Generate RCA" (the first version) or "Regenerate from the records" (people's text is kept). */
export function GenerateRcaButton({ incidentId, incidentNumber, exists }: { incidentId: string; incidentNumber: number; exists: boolean }) {
  const router = useRouter();
  const { executeAsync, result, isPending } = useAction(generateRcaAction);
  async function generate() {
    // The action's own re-render replaces this button with a link to the analysis (the RCA now exists),
    // so the move to the RCA page follows the awaited result here: next-safe-action's onSuccess runs in
    // an effect of this component, which never runs once the re-render has unmounted it.
    const r = await executeAsync({ incidentId });
    if (r?.data && !exists) router.push(`/incidents/${incidentNumber}/rca`);
  }
  return (
    <div className="space-y-2">
      <Button variant={exists ? "secondary" : "primary"} disabled={isPending} onClick={generate}>
        {isPending ? (exists ? "Regenerating…" : "Generating…") : exists ? "Regenerate from the records" : "Generate RCA"}
      </Button>
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
    </div>
  );
}
