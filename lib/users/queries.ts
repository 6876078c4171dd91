import "server-only";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/config";
import { getDb } from "@/lib/db";

export async function listUsers(now = new Date()) {
  return getDb().user.findMany({
    // Service tokens' accounts are listed with their tokens (/admin/api-tokens), not as people.
    where: { serviceAccount: false },
    orderBy: [{ disabledAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      disabledAt: true,
      lastSignInAt: true,
      createdAt: true,
      // Open sessions: not ended, and seen recently enough for their cookie to be unexpired.
      sessions: {
        where: { endedAt: null, lastSeenAt: { gt: new Date(now.getTime() - SESSION_MAX_AGE_SECONDS * 1000) } },
        orderBy: { lastSeenAt: "desc" },
        select: { id: true, createdAt: true, lastSeenAt: true, address: true, userAgent: true },
      },
    },
  });
}

export async function listRecentAudit(take = 50) {
  return getDb().auditLog.findMany({ orderBy: { id: "desc" }, take });
}
