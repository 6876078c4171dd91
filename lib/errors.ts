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

export class ForbiddenError extends UserFacingError {}

export class NotFoundError extends UserFacingError {}

/** Someone else changed the record since it was read (optimistic concurrency). */
export class ConflictError extends UserFacingError {}

/** Input that is well-formed but not acceptable (e.g. a duplicate email). */
export class InvalidInputError extends UserFacingError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function isUserFacingError(e: unknown): e is UserFacingError {
  return e instanceof Error && (e as Partial<UserFacingError>).userFacing === true;
}
