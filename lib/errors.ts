// Errors whose message is written for the person using Backout; anything else is logged and
// replaced by a generic message before it reaches a browser.
export class UserFacingError extends Error {
  readonly userFacing = true;
}

export class UnauthenticatedError extends UserFacingError {
  constructor() {
    super("Your session has ended. Sign in again.");
  }
}

/**
 * Why a change was refused. `forbidden`: the role or the person may not; `not_found`: no such
 * record; `invalid`: the input breaks a rule; `conflict`: the record's state does not allow it;
 * `stale`: made against an older version (the current state travels with it); `confirmation`: a
 * destructive change without its typed confirmation.
 */
export type RefusalCode = "forbidden" | "not_found" | "invalid" | "conflict" | "stale" | "confirmation";

export type RefusalOptions = {
  /** The form field the refusal concerns, so the form shows it there. */
  field?: string;
  /** With `stale`: the record as it is now. */
  current?: unknown;
  /** Extra facts for the DENIED audit row (never shown to the user). */
  details?: Record<string, unknown>;
};

/**
 * The one refusal type. Thrown anywhere inside a change (lib/incidents/change.ts), which rolls
 * the transaction back, audits it DENIED outside it and returns it as a typed outcome.
 */
export class Refusal extends UserFacingError {
  readonly field?: string;
  readonly current?: unknown;
  readonly details?: Record<string, unknown>;
  constructor(
    readonly code: RefusalCode,
    message: string,
    options: RefusalOptions = {},
  ) {
    super(message);
    this.field = options.field;
    this.current = options.current;
    this.details = options.details;
  }
}

// Named shorthands: each is a Refusal with its code, so one `instanceof Refusal` catches all.
export class ForbiddenError extends Refusal {
  constructor(message: string, options?: RefusalOptions) {
    super("forbidden", message, options);
  }
}

export class NotFoundError extends Refusal {
  constructor(message: string, options?: RefusalOptions) {
    super("not_found", message, options);
  }
}

/** The record's state does not allow the change (already resolved, run ended, …). */
export class ConflictError extends Refusal {
  constructor(message: string, options?: RefusalOptions) {
    super("conflict", message, options);
  }
}

/** Someone else changed the record since it was read (optimistic concurrency). */
export class StaleError extends Refusal {
  constructor(message: string, current?: unknown) {
    super("stale", message, { current });
  }
}

/** Input that is well-formed but not acceptable (e.g. a duplicate email). */
export class InvalidInputError extends Refusal {
  constructor(message: string, field?: string) {
    super("invalid", message, { field });
  }
}

export function isUserFacingError(e: unknown): e is UserFacingError {
  return e instanceof Error && (e as Partial<UserFacingError>).userFacing === true;
}
