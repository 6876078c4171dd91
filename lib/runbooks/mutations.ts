// Runbooks, configured by admins: create, save a new version, archive. A save is checked whole
// (rules.ts) and refused with every problem by field, writing nothing; an accepted save writes an
// immutable RunbookVersion (version + 1), moves Runbook.currentVersion and writes its audit row in
// one transaction. A save made against an older version than the current one is refused
// (optimistic concurrency on currentVersion), so nobody overwrites an edit they have not seen.
import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { authorize } from "@/lib/auth/authorize";
import { getDb } from "@/lib/db";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { parsePlan } from "@/lib/rollback/plans";
import { describeChange, diffSteps } from "./diff";
import { checkRunbook, describeIssue, type RunbookIssue } from "./rules";
import { archiveRunbookSchema, createRunbookSchema, saveRunbookSchema, validateRunbookSchema } from "./schemas";

const PERMISSION = "service:configure" as const;

/** A runbook refused on save: every problem, by field. Nothing was written. */
export class RunbookInvalidError extends InvalidInputError {
  constructor(
    readonly issues: RunbookIssue[],
    steps: readonly unknown[],
  ) {
    const errors = issues.filter((i) => i.severity === "error");
    super(
      `The runbook was not saved: ${errors.length === 1 ? "1 problem" : `${errors.length} problems`}. ${describeIssue(errors[0], steps)}`,
      errors[0].path,
    );
  }
}

const warningsOf = (issues: RunbookIssue[]) => issues.filter((i) => i.severity === "warning");

function checkedSteps(strategy: RollbackStrategy, steps: unknown[]) {
  const check = checkRunbook(strategy, steps, process.env);
  if (!check.steps) throw new RunbookInvalidError(check.issues, steps);
  return { steps: check.steps, warnings: warningsOf(check.issues) };
}

/** The problems a draft has, without saving anything (the editor's "Validate"). */
export async function validateRunbookDraft(actor: Actor, raw: z.input<typeof validateRunbookSchema>) {
  const input = validateRunbookSchema.parse(raw);
  await authorize(actor, PERMISSION, { action: "runbook.validate", entityType: "Service", entityId: input.serviceId });
  return { issues: checkRunbook(input.strategy, input.steps, process.env).issues };
}

export async function createRunbook(actor: Actor, raw: z.input<typeof createRunbookSchema>) {
  const input = createRunbookSchema.parse(raw);
  await authorize(actor, PERMISSION, { action: "runbook.create", entityType: "Service", entityId: input.serviceId });
  const { steps, warnings } = checkedSteps(input.strategy, input.steps);
  try {
    return await getDb().$transaction(async (tx) => {
      const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true } });
      if (!service) throw new NotFoundError("That service does not exist.");
      const runbook = await tx.runbook.create({
        data: {
          serviceId: service.id,
          name: input.name,
          strategy: input.strategy,
          currentVersion: 1,
          versions: {
            create: { version: 1, steps: steps as unknown as Prisma.InputJsonValue, note: input.note, createdById: actor.id },
          },
        },
      });
      await writeAudit(tx, {
        actor,
        action: "runbook.create",
        outcome: "ALLOWED",
        entityType: "Runbook",
        entityId: runbook.id,
        details: {
          serviceId: service.id,
          name: input.name,
          strategy: input.strategy,
          version: 1,
          steps: steps.map((s) => s.key),
          warnings: warnings.map((w) => w.message),
        },
      });
      return { runbook, version: 1, warnings };
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new InvalidInputError(
        `This service already has a runbook called “${input.name}” (archived ones count: unarchive it instead).`,
        "name",
      );
    }
    throw e;
  }
}

function staleMessage(current: number, base: number, by: string | null | undefined): string {
  return `${by ?? "Someone"} saved version ${current} of this runbook while you were editing version ${base}. Nothing was saved: reload to see their steps, then re-apply your changes.`;
}

export async function saveRunbookVersion(actor: Actor, raw: z.input<typeof saveRunbookSchema>) {
  const input = saveRunbookSchema.parse(raw);
  await authorize(actor, PERMISSION, { action: "runbook.save", entityType: "Runbook", entityId: input.runbookId });
  const db = getDb();
  const runbook = await db.runbook.findUnique({
    where: { id: input.runbookId },
    include: {
      versions: { orderBy: { version: "desc" }, take: 1, include: { createdBy: { select: { name: true } } } },
    },
  });
  if (!runbook) throw new NotFoundError("That runbook does not exist.");
  if (runbook.archivedAt) throw new InvalidInputError("This runbook is archived: unarchive it before editing it.");
  const latest = runbook.versions[0];
  if (runbook.currentVersion !== input.baseVersion) {
    throw new ConflictError(staleMessage(runbook.currentVersion, input.baseVersion, latest?.createdBy?.name));
  }
  const { steps, warnings } = checkedSteps(runbook.strategy, input.steps);
  const previous = latest ? parsePlan(latest.steps) : [];
  const changes = diffSteps(previous, steps).map(describeChange);
  if (changes.length === 0) throw new InvalidInputError(`Nothing changed since version ${input.baseVersion}: there is nothing to save.`);
  const version = input.baseVersion + 1;

  return db.$transaction(async (tx) => {
    const { count } = await tx.runbook.updateMany({
      where: { id: runbook.id, currentVersion: input.baseVersion, archivedAt: null },
      data: { currentVersion: version },
    });
    if (count === 0) {
      const now = await tx.runbook.findUniqueOrThrow({ where: { id: runbook.id }, select: { currentVersion: true, archivedAt: true } });
      if (now.archivedAt) throw new InvalidInputError("This runbook was archived meanwhile: unarchive it before editing it.");
      throw new ConflictError(staleMessage(now.currentVersion, input.baseVersion, null));
    }
    const saved = await tx.runbookVersion.create({
      data: {
        runbookId: runbook.id,
        version,
        steps: steps as unknown as Prisma.InputJsonValue,
        note: input.note,
        createdById: actor.id,
      },
    });
    await writeAudit(tx, {
      actor,
      action: "runbook.save",
      outcome: "ALLOWED",
      entityType: "Runbook",
      entityId: runbook.id,
      details: {
        serviceId: runbook.serviceId,
        version,
        from: input.baseVersion,
        versionId: saved.id,
        changes: changes.slice(0, 30),
        warnings: warnings.map((w) => w.message),
      },
    });
    return { version: saved, warnings };
  });
}

export async function setRunbookArchived(actor: Actor, raw: z.input<typeof archiveRunbookSchema>) {
  const input = archiveRunbookSchema.parse(raw);
  const action = input.archived ? "runbook.archive" : "runbook.unarchive";
  await authorize(actor, PERMISSION, { action, entityType: "Runbook", entityId: input.runbookId });
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.runbook.updateMany({
      where: { id: input.runbookId, archivedAt: input.archived ? null : { not: null } },
      data: { archivedAt: input.archived ? new Date() : null },
    });
    if (count === 0) {
      const exists = await tx.runbook.count({ where: { id: input.runbookId } });
      if (!exists) throw new NotFoundError("That runbook does not exist.");
      throw new InvalidInputError(input.archived ? "This runbook is already archived." : "This runbook is not archived.");
    }
    const runbook = await tx.runbook.findUniqueOrThrow({ where: { id: input.runbookId }, select: { serviceId: true, name: true } });
    await writeAudit(tx, {
      actor,
      action,
      outcome: "ALLOWED",
      entityType: "Runbook",
      entityId: input.runbookId,
      details: { serviceId: runbook.serviceId, name: runbook.name },
    });
  });
}
