import "server-only";
import { getDb } from "@/lib/db";

export async function listServices() {
  return getDb().service.findMany({
    orderBy: { name: "asc" },
    include: {
      criticalFeatures: { orderBy: { position: "asc" }, select: { id: true, name: true } },
      releases: { orderBy: { deployedAt: "desc" }, take: 1, select: { version: true, deployedAt: true } },
      _count: { select: { incidents: true } },
    },
  });
}

export async function getServiceBySlug(slug: string) {
  return getDb().service.findUnique({
    where: { slug },
    include: {
      criticalFeatures: { orderBy: { position: "asc" } },
      ingestionTokens: { orderBy: { createdAt: "desc" }, include: { createdBy: { select: { name: true } } } },
    },
  });
}
