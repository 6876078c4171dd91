// Reads of deploy events (Release rows): the service page's list, the declare form's proposal,
// the API's answer.
import "server-only";
import { getDb } from "@/lib/db";

const select = {
  id: true,
  version: true,
  previousVersion: true,
  environment: true,
  deployedAt: true,
  commitSha: true,
  link: true,
  source: true,
  suspectedAt: true,
  deployedBy: { select: { name: true } },
  service: { select: { slug: true, name: true } },
} as const;

export type Deployment = {
  id: string;
  service: { slug: string; name: string };
  version: string;
  previousVersion: string | null;
  environment: string;
  deployedAt: string;
  commit: string | null;
  link: string | null;
};

export async function readDeployment(id: string): Promise<Deployment | null> {
  const r = await getDb().release.findUnique({ where: { id }, select });
  return r
    ? {
        id: r.id,
        service: r.service,
        version: r.version,
        previousVersion: r.previousVersion,
        environment: r.environment,
        deployedAt: r.deployedAt.toISOString(),
        commit: r.commitSha,
        link: r.link,
      }
    : null;
}

/** A service's deploys, newest first (the service page). */
export async function listServiceDeployments(serviceId: string, take = 20) {
  return getDb().release.findMany({ where: { serviceId }, orderBy: { deployedAt: "desc" }, take, select });
}

/** The service's deploys within a time range (the charts' markers). */
export async function deploymentsBetween(serviceId: string, from: Date, to: Date) {
  return getDb().release.findMany({
    where: { serviceId, deployedAt: { gte: from, lte: to } },
    orderBy: { deployedAt: "asc" },
    select: { id: true, version: true, environment: true, deployedAt: true },
  });
}
