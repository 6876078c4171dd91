// Runbooks, configured by admins: validate a draft, create, save a new version, archive and
// unarchive — each a change of the change path (lib/incidents/change.ts). A save is checked whole
// (rules.ts) and refused with every problem by field, writing nothing; an accepted save writes an
// immutable RunbookVersion (version + 1) and moves Runbook.currentVersion in one transaction with
// its audit row. A save made against an older version than the current one is refused as stale,
// with the current version (optimistic concurrency on currentVersion), so nobody overwrites an
// edit they have not seen.
import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { RollbackStrategy } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import type { Db, Tx } from "@/lib/db";
import { ConflictError, InvalidInputError, NotFoundError, Refusal, StaleError } from "@/lib/errors";
import { defineChange } from "@/lib/incidents/change";
import { parsePlan } from "@/lib/rollback/plans";
import { describeChange, diffSteps } from "./diff";
import { checkRunbook, describeIssue, type RunbookIssue } from "./rules";
import { type archiveRunbookSchema, createRunbookSchema, runbookRefSchema, saveRunbookSchema, validateRunbookSchema } from "./schemas";

const PERMISSION = "service:configure" as const;

/** A runbook refused on save: every problem, by field. Nothing was written. */
export class RunbookInvalidError extends Refusal {
  constructor(
    readonly issues: RunbookIssue[],
    steps: readonly unknown[],
  ) {
    const errors = issues.filter((i) => i.severity === "error");
    super(
      "invalid",
      `The runbook was not saved: ${errors.length === 1 ? "1 problem" : `${errors.length} problems`}. ${describeIssue(errors[0], steps)}`,
      // The messages name fields and kinds of secret, never a value: safe for the audit row.
      { field: errors[0].path, details: { issues: errors.map(({ path, message }) => ({ path, message })) } },
    );
  }
}

const warningsOf = (issues: RunbookIssue[]) => issues.filter((i) => i.severity === "warning");

export function checkedSteps(strategy: RollbackStrategy, steps: unknown[]) {
  const check = checkRunbook(strategy, steps, process.env);
  if (!check.steps) throw new RunbookInvalidError(check.issues, steps);
  return { steps: check.steps, warnings: warningsOf(check.issues) };
}

/** The problems a draft has, without saving anything (the editor's "Validate"): a change that writes nothing. */
export const validateRunbookChange = defineChange({
  action: "runbook.validate",
  schema: validateRunbookSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  async apply({ input, audit }) {
    audit.skip = true;
    return { issues: checkRunbook(input.strategy, input.steps, process.env).issues };
  },
});

export function validateRunbookDraft(actor: Actor, input: z.input<typeof validateRunbookSchema>) {
  return validateRunbookChange.runOrThrow(actor, input);
}

export const createRunbookChange = defineChange({
  action: "runbook.create",
  schema: createRunbookSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Service", entityId: input.serviceId }),
  prepare: async ({ input }) => checkedSteps(input.strategy, input.steps),
  async apply({ tx, user, input, prepared: { steps, warnings }, audit }) {
    const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true } });
    if (!service) throw new NotFoundError("That service does not exist.");
    const runbook = await tx.runbook
      .create({
        data: {
          serviceId: service.id,
          name: input.name,
          strategy: input.strategy,
          currentVersion: 1,
          versions: {
            create: { version: 1, steps: steps as unknown as Prisma.InputJsonValue, note: input.note, createdById: user.id },
          },
        },
      })
      .catch((e) => {
        // The unique name is the database's to enforce; the failed insert ends the transaction's work.
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
          throw new InvalidInputError(
            `This service already has a runbook called “${input.name}” (archived ones count: unarchive it instead).`,
            "name",
          );
        }
        throw e;
      });
    Object.assign(audit, {
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
  },
});

export function createRunbook(actor: Actor, input: z.input<typeof createRunbookSchema>) {
  return createRunbookChange.runOrThrow(actor, input);
}

const LATEST_VERSION = {
  orderBy: { version: "desc" },
  take: 1,
  select: { version: true, steps: true, createdAt: true, createdBy: { select: { name: true } } },
} as const;

type LatestVersion = { version: number; createdAt: Date; createdBy: { name: string } | null };

/** A save from an older version: refused with the version that is current now, and who saved it. */
function staleRefusal(latest: LatestVersion, base: number): StaleError {
  const by = latest.createdBy?.name ?? null;
  return new StaleError(
    `${by ?? "Someone"} saved version ${latest.version} of this runbook while you were editing version ${base}. Nothing was saved: reload to see their steps, then re-apply your changes.`,
    { version: latest.version, savedBy: by, savedAt: latest.createdAt },
  );
}

async function loadForSave(db: Db | Tx, runbookId: string) {
  const runbook = await db.runbook.findUnique({ where: { id: runbookId }, include: { versions: LATEST_VERSION } });
  if (!runbook) throw new NotFoundError("That runbook does not exist.");
  return { runbook, latest: runbook.versions[0] };
}

export const saveRunbookChange = defineChange({
  action: "runbook.save",
  schema: saveRunbookSchema,
  permission: PERMISSION,
  target: (input) => ({ entityType: "Runbook", entityId: input.runbookId }),
  // The whole check and the diff run before the transaction; apply re-checks the version under the update.
  async prepare({ db, input }) {
    const { runbook, latest } = await loadForSave(db, input.runbookId);
    if (runbook.archivedAt) throw new ConflictError("This runbook is archived: unarchive it before editing it.");
    if (runbook.currentVersion !== input.baseVersion) throw staleRefusal(latest, input.baseVersion);
    const { steps, warnings } = checkedSteps(runbook.strategy, input.steps);
    const changes = diffSteps(latest ? parsePlan(latest.steps) : [], steps).map(describeChange);
    if (changes.length === 0) throw new InvalidInputError(`Nothing changed since version ${input.baseVersion}: there is nothing to save.`);
    return { serviceId: runbook.serviceId, steps, warnings, changes };
  },
  async apply({ tx, user, input, prepared: { serviceId, steps, warnings, changes }, audit }) {
    const version = input.baseVersion + 1;
    const { count } = await tx.runbook.updateMany({
      where: { id: input.runbookId, currentVersion: input.baseVersion, archivedAt: null },
      data: { currentVersion: version },
    });
    if (count === 0) {
      const { runbook, latest } = await loadForSave(tx, input.runbookId);
      if (runbook.archivedAt) throw new ConflictError("This runbook was archived meanwhile: unarchive it before editing it.");
      throw staleRefusal(latest, input.baseVersion);
    }
    const saved = await tx.runbookVersion.create({
      data: {
        runbookId: input.runbookId,
        version,
        steps: steps as unknown as Prisma.InputJsonValue,
        note: input.note,
        createdById: user.id,
      },
    });
    audit.details = {
      serviceId,
      version,
      from: input.baseVersion,
      versionId: saved.id,
      changes: changes.slice(0, 30),
      warnings: warnings.map((w) => w.message),
    };
    return { version: saved, warnings };
  },
});

export function saveRunbookVersion(actor: Actor, input: z.input<typeof saveRunbookSchema>) {
  return saveRunbookChange.runOrThrow(actor, input);
}

/** Archive (not used for new plans) or unarchive: one change each, so each has its own audit action. */
function archiveChange(archived: boolean) {
  return defineChange({
    action: archived ? "runbook.archive" : "runbook.unarchive",
    schema: runbookRefSchema,
    permission: PERMISSION,
    target: (input) => ({ entityType: "Runbook", entityId: input.runbookId }),
    async apply({ tx, input, now, audit }) {
      const { count } = await tx.runbook.updateMany({
        where: { id: input.runbookId, archivedAt: archived ? null : { not: null } },
        data: { archivedAt: archived ? now : null },
      });
      const runbook = await tx.runbook.findUnique({ where: { id: input.runbookId }, select: { serviceId: true, name: true } });
      if (!runbook) throw new NotFoundError("That runbook does not exist.");
      if (count === 0) throw new ConflictError(archived ? "This runbook is already archived." : "This runbook is not archived.");
      audit.details = runbook;
    },
  });
}

export const archiveRunbookChange = archiveChange(true);
export const unarchiveRunbookChange = archiveChange(false);

/** For tests and scripts: archive or unarchive. */
export function setRunbookArchived(actor: Actor, input: z.input<typeof archiveRunbookSchema>) {
  const { archived, ...ref } = input;
  return (archived ? archiveRunbookChange : unarchiveRunbookChange).runOrThrow(actor, ref);
}
