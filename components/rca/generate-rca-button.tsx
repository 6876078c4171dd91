"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { generateRcaAction } from "@/lib/rca/actions";

/** "Generate RCA" (the first version) or "Regenerate from the records" (people's text is kept). */
export function GenerateRcaButton({ incidentId, incidentNumber, exists }: { incidentId: string; incidentNumber: number; exists: boolean }) {
  const router = useRouter();
  const { execute, result, isPending } = useAction(generateRcaAction, {
    onSuccess: () => {
      if (!exists) router.push(`/incidents/${incidentNumber}/rca`);
    },
  });
  return (
    <div className="space-y-2">
      <Button variant={exists ? "secondary" : "primary"} disabled={isPending} onClick={() => execute({ incidentId })}>
        {isPending ? (exists ? "Regenerating…" : "Generating…") : exists ? "Regenerate from the records" : "Generate RCA"}
      </Button>
      {result.serverError && <FormAlert>{result.serverError}</FormAlert>}
    </div>
  );
}
