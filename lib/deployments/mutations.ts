// Recording a deploy event from a pipeline, through the change path (lib/incidents/change.ts): the
// Release row, an entry on the timeline of every open incident of that service, the audit row —
// one transaction. The readiness checks run after the commit, bounded, and never fail the request.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { ConflictError, InvalidInputError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { incidentRef, ONGOING_STATUSES } from "@/lib/incidents/schemas";
import { checkReadiness } from "@/lib/readiness/store";
import { recordTimelineEvent } from "@/lib/timeline/record";
import { recordDeploymentSchema } from "./schemas";

/** The readiness checks have their own 8 s deadline; the pipeline waits at most this long for them. */
export const READINESS_WAIT_MS = 10_000;

export function describeDeploy(d: { service: string; version: string; previousVersion: string | null; environment: string }): string {
  return `${d.service} ${d.version}${d.previousVersion ? ` (previous ${d.previousVersion})` : ""} deployed to ${d.environment}`;
}

/** Runs the service's readiness checks after a deploy: bounded, logged, never thrown. */
export async function checkReadinessAfterDeploy(serviceId: string, waitMs = READINESS_WAIT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      checkReadiness(serviceId),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
  } catch (e) {
    console.error("[deployments] readiness check after a deploy failed", e);
  } finally {
    clearTimeout(timer);
  }
}

export const recordDeploymentChange = defineChange({
  action: "deployment.record",
  schema: recordDeploymentSchema,
  permission: "deploy:record",
  target: () => ({ entityType: "Release" }),
  async apply({ tx, user, input, now, audit }) {
    const actor = user;
    const service = await tx.service.findUnique({ where: { slug: input.service }, select: { id: true, name: true, slug: true } });
    if (!service) throw new InvalidInputError(`There is no service with the slug "${input.service}".`, "service");
    const deployedAt = input.deployedAt ?? now;
    let release: { id: string };
    try {
      release = await tx.release.create({
        data: {
          serviceId: service.id,
          version: input.version,
          previousVersion: input.previousVersion ?? null,
          deployedAt,
          deployedById: actor.id,
          environment: input.environment,
          commitSha: input.commit ?? null,
          link: input.link ?? null,
          source: "API",
        },
        select: { id: true },
      });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
        throw new ConflictError(`${service.slug} ${input.version} deployed at ${deployedAt.toISOString()} is already recorded.`);
      throw e;
    }
    const open = await tx.incident.findMany({
      where: { serviceId: service.id, status: { in: ONGOING_STATUSES } },
      select: { id: true, number: true },
      orderBy: { number: "asc" },
    });
    const what = describeDeploy({ ...input, service: service.slug, previousVersion: input.previousVersion ?? null });
    for (const incident of open) {
      await recordTimelineEvent(tx, {
        incidentId: incident.id,
        kind: "DEPLOY_RECORDED",
        actorId: actor.id,
        at: deployedAt,
        recordedAt: now,
        message: `Deploy recorded: ${what}${input.commit ? `, commit ${input.commit}` : ""}`,
        payload: {
          releaseId: release.id,
          version: input.version,
          previousVersion: input.previousVersion ?? null,
          environment: input.environment,
          commit: input.commit ?? null,
          ...(input.link ? { link: input.link } : {}),
        },
      });
    }
    Object.assign(audit, {
      entityId: release.id,
      details: {
        service: service.slug,
        version: input.version,
        previousVersion: input.previousVersion ?? null,
        environment: input.environment,
        deployedAt: deployedAt.toISOString(),
        openIncidents: open.map((i) => incidentRef(i.number)),
      },
    });
    return { id: release.id, serviceId: service.id, openIncidents: open.map((i) => incidentRef(i.number)) };
  },
  afterCommit: (value) => checkReadinessAfterDeploy(value.serviceId),
});
