import "server-only";
import { getDb } from "@/lib/db";

export async function listUsers() {
  return getDb().user.findMany({
    orderBy: [{ disabledAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    select: { id: true, email: true, name: true, role: true, disabledAt: true, lastSignInAt: true, createdAt: true },
  });
}

export async function listRecentAudit(take = 50) {
  return getDb().auditLog.findMany({ orderBy: { id: "desc" }, take });
}
