// Per-service verification templates, edited by admins: validated with the template schema and
// versioned (each save writes an immutable ChecklistTemplateVersion; checklists record theirs).
import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { saveTemplateSchema } from "./schemas";
import { DEFAULT_TEMPLATE, describeTemplateIssues, type TemplateItem, templateItemsSchema } from "./template-schema";

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

/** Parses the admin's JSON text; every problem is listed with the item it is in. */
export function parseTemplateJson(text: string): TemplateItem[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError(`The template is not valid JSON: ${(e as Error).message}`, "itemsJson");
  }
  const parsed = templateItemsSchema.safeParse(json);
  if (!parsed.success) throw new InvalidInputError(describeTemplateIssues(parsed.error).slice(0, 8).join("\n"), "itemsJson");
  return parsed.data;
}

export async function saveChecklistTemplate(actor: Actor, raw: z.input<typeof saveTemplateSchema>) {
  const input = saveTemplateSchema.parse(raw);
  const target = { action: "checklist.template_save", entityType: "Service", entityId: input.serviceId };
  await authorize(actor, "service:configure", target);
  const items = parseTemplateJson(input.itemsJson);
  const json = items as unknown as Prisma.InputJsonValue;
  return getDb().$transaction(async (tx) => {
    const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true } });
    if (!service) throw new NotFoundError("That service does not exist.");
    await tx.$queryRaw`SELECT id FROM "Service" WHERE id = ${service.id} FOR UPDATE`;
    const existing = await tx.checklistTemplate.findFirst({ where: { serviceId: service.id }, orderBy: { createdAt: "asc" } });
    const stale = () =>
      new ConflictError(
        "Someone else saved this service's template since you opened it. Reload to see theirs, then re-apply your changes.",
      );
    let templateId: string;
    let version: number;
    if (!existing) {
      if (input.version !== 0) throw stale();
      const created = await tx.checklistTemplate.create({
        data: { serviceId: service.id, name: TEMPLATE_NAME, items: json, updatedById: actor.id, version: 1 },
      });
      templateId = created.id;
      version = 1;
    } else {
      const { count } = await tx.checklistTemplate.updateMany({
        where: { id: existing.id, version: input.version },
        data: { items: json, updatedById: actor.id, version: { increment: 1 } },
      });
      if (count === 0) throw stale();
      templateId = existing.id;
      version = input.version + 1;
    }
    await tx.checklistTemplateVersion.create({ data: { templateId, version, items: json, createdById: actor.id } });
    await writeAudit(tx, { actor, ...target, outcome: "ALLOWED", details: { templateId, version, items: items.length } });
    return { templateId, version };
  });
}
