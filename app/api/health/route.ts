// Liveness and readiness for a load balancer: answers 200 only when the database answers.
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "unavailable", reason: "database did not answer" }, { status: 503 });
  }
}
