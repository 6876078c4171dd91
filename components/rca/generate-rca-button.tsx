"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { generateRcaAction } from "@/lib/rca/actions";

/** "Generate RCA" (the first version) or "Regenerate from the records" (people's text is kept). */
export function GenerateRcaButton({ incidentId, incidentNumber, exists }: { incidentId: string; incidentNumber: number; exists: boolean }) {
  const router = useRouter();
  const { executeAsync, result, isPending } = useAction(generateRcaAction);
  const [unreachable, setUnreachable] = useState(false);
  async function generate() {
    setUnreachable(false);
    // The action's own re-render replaces this button with a link to the analysis (the RCA now exists),
    // so the move to the RCA page follows the awaited result here: next-safe-action's onSuccess runs in
    // an effect of this component, which never runs once the re-render has unmounted it.
    let r: Awaited<ReturnType<typeof executeAsync>>;
    try {
      r = await executeAsync({ incidentId });
    } catch {
      // The request failed on its way (no answer from the server): say so rather than nothing.
      setUnreachable(true);
      return;
    }
    if (r?.data && !exists) router.push(`/incidents/${incidentNumber}/rca`);
  }
  return (
    <div className="space-y-2">
      <Button variant={exists ? "secondary" : "primary"} disabled={isPending} onClick={generate}>
        {isPending ? (exists ? "Regenerating…" : "Generating…") : exists ? "Regenerate from the records" : "Generate RCA"}
      </Button>
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
      {unreachable && (
        <FormAlert>The server did not answer, so the analysis may not have been generated. Check the connection and try again.</FormAlert>
      )}
    </div>
  );
}
