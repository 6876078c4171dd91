// The admin's list of API tokens (never their hashes: the client omits them globally).
import "server-only";
import { getDb } from "@/lib/db";

export async function listApiTokens() {
  return getDb().apiToken.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: 500,
    select: {
      id: true,
      name: true,
      kind: true,
      scope: true,
      prefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      user: { select: { id: true, name: true, email: true, role: true, serviceAccount: true, disabledAt: true } },
      createdBy: { select: { name: true } },
      revokedBy: { select: { name: true } },
    },
  });
}

export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];

/** People a personal token may act as. */
export async function listTokenOwners() {
  return getDb().user.findMany({
    where: { serviceAccount: false, disabledAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, email: true, role: true },
  });
}
