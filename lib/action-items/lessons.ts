// "Last time on this service": when an incident is declared, its page shows what the service's
// earlier incidents taught — their lessons (from the RCA) and their action items still open.
import "server-only";
import { type Db, getDb } from "@/lib/db";
import { latestLessons } from "@/lib/rca/queries";
import { OPEN_STATUSES } from "./rules";

const RECENT = 3;
const MAX = 10;

export type ServiceLesson = Awaited<ReturnType<typeof listServiceLessons>>[number];

/**
 * The service's earlier incidents (declared before this one) worth showing: the most recent few,
 * and any older one with an action item still open — newest first.
 */
export async function listServiceLessons(incidentId: string, db: Db = getDb()) {
  const current = await db.incident.findUnique({ where: { id: incidentId }, select: { serviceId: true, declaredAt: true } });
  if (!current) return [];
  const earlier = { serviceId: current.serviceId, id: { not: incidentId }, declaredAt: { lt: current.declaredAt } };
  const select = {
    id: true,
    number: true,
    title: true,
    status: true,
    declaredAt: true,
    actionItems: {
      where: { status: { in: [...OPEN_STATUSES] } },
      orderBy: [{ priority: "asc" as const }, { dueDate: "asc" as const }],
      select: { id: true, title: true, priority: true, status: true, dueDate: true, owner: { select: { name: true } } },
    },
  };
  const [recent, withOpen] = await Promise.all([
    db.incident.findMany({ where: earlier, orderBy: { declaredAt: "desc" }, take: RECENT, select }),
    db.incident.findMany({
      where: { ...earlier, actionItems: { some: { status: { in: [...OPEN_STATUSES] } } } },
      orderBy: { declaredAt: "desc" },
      take: MAX,
      select,
    }),
  ]);
  const byId = new Map([...recent, ...withOpen].map((i) => [i.id, i]));
  const incidents = [...byId.values()].sort((a, b) => b.declaredAt.getTime() - a.declaredAt.getTime()).slice(0, MAX);
  const lessons = await Promise.all(incidents.map((i) => lessonsOf(i.id)));
  return incidents.map((i, n) => ({ ...i, lessons: lessons[n] ?? { technical: [], process: [] } }));
}

/** The lessons learned its RCA records (current version), technical then process; none without an RCA. */
async function lessonsOf(incidentId: string): Promise<{ technical: string[]; process: string[] }> {
  const lessons = await latestLessons(incidentId);
  return { technical: lessons?.technical ?? [], process: lessons?.process ?? [] };
}
