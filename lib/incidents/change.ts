// The one change path. Every change made by a person (a server action), the API or the system goes
// through `defineChange(...)`: parse once with the schema the form shares, authorise (role, then
// the record), then one transaction holding the change, its timeline event, its audit row and its
// live publish. Any refusal — role, unknown record, invalid input, business rule, wrong state,
// stale version, missing confirmation — is one type (`Refusal`), rolls the transaction back, is
// audited DENIED outside it (so the record of the attempt survives) and comes back as a typed
// outcome, with the form field it concerns.
import "server-only";
import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { TimelineSource } from "@/generated/prisma/enums";
import { type Actor, writeAudit } from "@/lib/audit/log";
import { can, type Permission, ROLE_LABELS } from "@/lib/auth/roles";
import { now as clockNow } from "@/lib/clock";
import { type Db, getDb, type Tx } from "@/lib/db";
import { ForbiddenError, NotFoundError, Refusal, type RefusalCode } from "@/lib/errors";
import { withChangeSource } from "@/lib/timeline/source-context";

/** Changes the system makes on its own (the step worker, the checklist evaluator, a job). */
export type SystemActor = { system: string };
export type ChangeActor = Actor | SystemActor;

export function isSystemActor(actor: ChangeActor): actor is SystemActor {
  return "system" in actor;
}

/** What a change is about, for its audit rows. `incidentId` makes it an incident's change. */
export type ChangeTarget = { entityType: string; entityId?: string | null; incidentId?: string | null };

export type ChangeRefused = {
  ok: false;
  code: RefusalCode;
  message: string;
  field?: string;
  /** With code `stale`: the record as it is now, so the caller can show it. */
  current?: unknown;
};
export type ChangeOutcome<T> = { ok: true; value: T } | ChangeRefused;

/** What `apply` may say about its own ALLOWED audit row. */
export type AuditNote = {
  entityType?: string;
  entityId?: string | null;
  /** For a change that creates the incident. */
  incidentId?: string | null;
  details?: Prisma.InputJsonValue;
  /** A no-op answer (e.g. the same click twice): nothing changed, so no audit row. */
  skip?: boolean;
};

/** Who a change may name as `user`: a change of the system's own has none; every other change a person. */
export type ChangePermission = Permission | "system";
export type UserOf<Pm extends ChangePermission> = Pm extends "system" ? null : Actor;

export type ChangeContext<I, P, U extends Actor | null = Actor> = {
  tx: Tx;
  actor: ChangeActor;
  /**
   * The acting person: typed `Actor` for a change a person makes and `null` for the system's own
   * (permission "system"), as the role check has made sure before `prepare` and `apply` run.
   */
  user: U;
  input: I;
  prepared: P;
  now: Date;
  target: ChangeTarget;
  audit: AuditNote;
};

export type ChangeSpec<S extends z.ZodType, P, T, Pm extends ChangePermission = ChangePermission> = {
  /** The audit action, e.g. "incident.update_impact". Unique. */
  action: string;
  schema: S;
  /** Who may: a permission of lib/auth/roles.ts, or "system" for changes only the system makes. */
  permission: Pm;
  target: (input: z.output<S>) => ChangeTarget;
  /**
   * The incident of a record the input names only by its own id (a step, a run, a decision), read
   * before anything else, so that every audit row of the change — a role refusal included — is
   * filed under it. Null when there is no such record (the change then refuses it as unknown).
   */
  locate?: (input: z.output<S>, db: Db) => Promise<string | null>;
  /**
   * Reads and checks before the transaction (evidence, probes, the record a person may act on),
   * for work too slow or too outside to hold locks over. May refuse.
   */
  prepare?: (c: { actor: ChangeActor; user: UserOf<Pm>; input: z.output<S>; now: Date; db: Db }) => Promise<P>;
  /** The change itself, in the transaction: lock or version check, write, timeline, live publish. */
  apply: (c: ChangeContext<z.output<S>, P, UserOf<Pm>>) => Promise<T>;
  /** Transaction timeout (Prisma's default is 5 s). */
  timeoutMs?: number;
  /**
   * Work once the change has committed that is not itself a change (waking this process's step
   * worker). It never runs for a refused change. Anything that must not be lost is a job enqueued
   * inside `apply` instead.
   */
  afterCommit?: (value: T) => Promise<void> | void;
};

/**
 * The channel a person's change came through, when not the web UI: its timeline entries carry the
 * source (lib/timeline/source-context.ts), its audit rows say `via` (and which API token).
 */
export type ChangeVia = { source: TimelineSource; tokenId?: string };

export type RunOptions = { db?: Db; now?: Date; via?: ChangeVia };

export type Change<S extends z.ZodType, T> = {
  readonly action: string;
  readonly schema: S;
  readonly permission: Permission | "system";
  /** Parses `raw` (once) and runs the change. Never throws a refusal: it is in the outcome. */
  run(actor: ChangeActor, raw: unknown, options?: RunOptions): Promise<ChangeOutcome<T>>;
  /** As `run`, but a refusal is thrown (as the `Refusal` it was) after being audited. */
  runOrThrow(actor: ChangeActor, raw: unknown, options?: RunOptions): Promise<T>;
};

const REGISTRY = new Map<string, Change<z.ZodType, unknown>>();

/** Every change the code defines, by audit action (the refusal test walks it). */
export function registeredChanges(): ReadonlyMap<string, Change<z.ZodType, unknown>> {
  return REGISTRY;
}

export function refusalToOutcome(e: Refusal): ChangeRefused {
  return {
    ok: false,
    code: e.code,
    message: e.message,
    ...(e.field ? { field: e.field } : {}),
    ...(e.current !== undefined ? { current: e.current } : {}),
  };
}

function invalidInput(error: z.ZodError): Refusal {
  const issue = error.issues[0];
  const field = issue?.path.length ? String(issue.path[0]) : undefined;
  return new Refusal("invalid", issue?.message ?? "The input is not valid.", {
    field,
    details: { issues: error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })) },
  });
}

/** The refusal's audit row: DENIED, outside any transaction of the change. */
export async function auditRefusal(
  db: Db,
  actor: ChangeActor,
  action: string,
  target: ChangeTarget,
  refusal: Refusal,
  via?: ChangeVia,
): Promise<void> {
  await writeAudit(db, {
    actor: isSystemActor(actor) ? null : actor,
    action,
    outcome: "DENIED",
    entityType: target.entityType,
    entityId: target.entityId ?? null,
    incidentId: target.incidentId ?? null,
    details: {
      code: refusal.code,
      reason: refusal.message,
      ...(refusal.field ? { field: refusal.field } : {}),
      ...(isSystemActor(actor) ? { system: actor.system } : {}),
      ...viaDetails(via),
      ...((refusal.details ?? {}) as Record<string, Prisma.InputJsonValue>),
    },
  });
}

function viaDetails(via: ChangeVia | undefined): Record<string, string> {
  if (!via) return {};
  return { via: via.source, ...(via.tokenId ? { apiToken: via.tokenId } : {}) };
}

/** The role check every change starts with (and the few reads that refuse by role). */
export function roleRefusal(actor: ChangeActor, permission: Permission | "system"): Refusal | null {
  if (isSystemActor(actor)) {
    // The system acts only where a change says it does: a person's change keeps a person's name.
    return permission === "system" ? null : new ForbiddenError("This change needs a signed-in person.", { details: { permission } });
  }
  if (permission !== "system" && can(actor.role, permission)) return null;
  return new ForbiddenError(
    permission === "system" ? "Only Backout itself makes this change." : `${ROLE_LABELS[actor.role]}s cannot do this (${permission}).`,
    { details: { permission, role: actor.role } },
  );
}

export function defineChange<S extends z.ZodType, T, P = undefined, Pm extends ChangePermission = ChangePermission>(
  spec: ChangeSpec<S, P, T, Pm>,
): Change<S, T> {
  /** Runs the change; a refusal is audited, then thrown as the Refusal it was. */
  async function execute(actor: ChangeActor, raw: unknown, options: RunOptions = {}): Promise<T> {
    const db = options.db ?? getDb();
    const now = options.now ?? clockNow();
    // The one place the person's type is asserted: roleRefusal (below, before prepare and apply)
    // refuses a system actor for a person's change and a person for the system's.
    const user = (isSystemActor(actor) ? null : actor) as UserOf<Pm>;
    const parsed = spec.schema.safeParse(raw);
    // Before parsing there is no target yet: audit what the raw input names, if anything.
    let target: ChangeTarget = parsed.success ? spec.target(parsed.data) : rawTarget(spec, raw);
    let value: T;
    try {
      if (!parsed.success) throw invalidInput(parsed.error);
      const input = parsed.data;
      if (spec.locate) {
        const incidentId = await spec.locate(input, db);
        if (incidentId) target = { ...target, incidentId };
      }
      const denied = roleRefusal(actor, spec.permission);
      if (denied) throw denied;
      if (target.incidentId && !(await incidentExists(db, target.incidentId))) {
        // Audited under the id the caller sent, not filed under an incident that does not exist.
        target = { ...target, incidentId: null };
        throw new NotFoundError("No such incident.");
      }
      const prepared = spec.prepare ? await spec.prepare({ actor, user, input, now, db }) : (undefined as P);
      value = await withChangeSource(options.via?.source, () =>
        db.$transaction(
          async (tx) => {
            const audit: AuditNote = {};
            const result = await spec.apply({ tx, actor, user, input, prepared, now, target, audit });
            if (!audit.skip) {
              await writeAudit(tx, {
                actor: user,
                action: spec.action,
                outcome: "ALLOWED",
                entityType: audit.entityType ?? target.entityType,
                entityId: audit.entityId !== undefined ? audit.entityId : (target.entityId ?? null),
                incidentId: audit.incidentId !== undefined ? audit.incidentId : (target.incidentId ?? null),
                details: user
                  ? { ...((audit.details ?? {}) as object), ...viaDetails(options.via) }
                  : { system: (actor as SystemActor).system, ...((audit.details ?? {}) as object) },
              });
            }
            return result;
          },
          { timeout: spec.timeoutMs ?? 15_000 },
        ),
      );
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      await auditRefusal(db, actor, spec.action, target, e, options.via);
      throw e;
    }
    // Outside the try: what follows the commit cannot turn the change into a refusal.
    await spec.afterCommit?.(value);
    return value;
  }

  const change: Change<S, T> = {
    action: spec.action,
    schema: spec.schema,
    permission: spec.permission,
    async run(actor, raw, options) {
      try {
        return { ok: true, value: await execute(actor, raw, options) };
      } catch (e) {
        if (e instanceof Refusal) return refusalToOutcome(e);
        throw e;
      }
    },
    runOrThrow: execute,
  };
  REGISTRY.set(spec.action, change as Change<z.ZodType, unknown>);
  return change;
}

const ID = /^[\w-]{1,64}$/;

function rawTarget(spec: { target: (input: never) => ChangeTarget }, raw: unknown): ChangeTarget {
  // The target function reads a few ids; on input that failed to parse, try it and fall back.
  try {
    const t = spec.target((raw ?? {}) as never);
    return {
      entityType: t.entityType,
      // Unparsed input is the caller's text: keep only what looks like an id.
      entityId: typeof t.entityId === "string" && ID.test(t.entityId) ? t.entityId : null,
      incidentId: typeof t.incidentId === "string" && ID.test(t.incidentId) ? t.incidentId : null,
    };
  } catch {
    return { entityType: "Unknown" };
  }
}

async function incidentExists(db: Db, incidentId: string): Promise<boolean> {
  return (await db.incident.count({ where: { id: incidentId } })) > 0;
}

/**
 * A destructive change's typed confirmation: the exact words, or a refusal on that field. `message`
 * says what is being confirmed, when the form has more to say than the words to type.
 */
export function requireConfirmation(
  typed: string | undefined,
  expected: string,
  field = "confirmation",
  message = `Type "${expected}" to confirm.`,
): void {
  if ((typed ?? "").trim() !== expected) {
    throw new Refusal("confirmation", message, { field, details: { expected } });
  }
}
