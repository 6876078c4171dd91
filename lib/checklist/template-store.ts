// Per-service verification templates, edited by admins: validated with the template schema and
// versioned (each save writes an immutable ChecklistTemplateVersion; checklists record theirs).
import "server-only";
import { getDb } from "@/lib/db";
import { DEFAULT_TEMPLATE, type TemplateItem } from "./template-schema";

export const TEMPLATE_NAME = "Post-rollback verification";

export async function getServiceTemplate(serviceId: string) {
  const t = await getDb().checklistTemplate.findFirst({
    where: { serviceId },
    orderBy: { createdAt: "asc" },
    select: { id: true, version: true, items: true, updatedAt: true, updatedBy: { select: { name: true } } },
  });
  if (!t) return { custom: false as const, version: 0, items: DEFAULT_TEMPLATE, updatedAt: null, updatedBy: null };
  return {
    custom: true as const,
    version: t.version,
    items: t.items as TemplateItem[],
    updatedAt: t.updatedAt,
    updatedBy: t.updatedBy?.name ?? null,
  };
}
