// Integration-test data: a rolled-back incident whose verification the three roles signed off at
// `signedOffAt` (the checklist locked then), as the product leaves it, ready for the post-mortem.
import type { Actor } from "@/lib/audit/log";
import { signOff, startVerification } from "@/lib/checklist/mutations";
import { makeUser } from "./factories";
import { makeRolledBackIncident } from "./rolled-back-incident";

export type SignedOff = Awaited<ReturnType<typeof makeSignedOffIncident>>;

export async function makeSignedOffIncident(opts: { signedOffAt?: Date; features?: string[] } = {}) {
  const rolled = await makeRolledBackIncident({ features: opts.features });
  const at = opts.signedOffAt ?? new Date();
  const devops = await makeUser("RESPONDER");
  const lead = await makeUser("RESPONDER");
  const rm = await makeUser("RELEASE_MANAGER");
  const { checklistId } = await startVerification(
    devops,
    { incidentId: rolled.incident.id },
    { now: new Date(at.getTime() - 20 * 60_000) },
  );
  const sign = (actor: Actor, role: "DEVOPS" | "TECH_LEAD" | "RELEASE_MANAGER", minutesBefore: number) =>
    signOff(
      actor,
      { checklistId, role, rollbackSuccessful: true, systemStable: "STABLE", outstandingIssues: "", comments: "" },
      { now: new Date(at.getTime() - minutesBefore * 60_000) },
    );
  await sign(devops, "DEVOPS", 2);
  await sign(lead, "TECH_LEAD", 1);
  await sign(rm, "RELEASE_MANAGER", 0);
  return { ...rolled, checklistId, devops, lead, rm, signedOffAt: at };
}
