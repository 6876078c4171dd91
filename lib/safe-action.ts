// The server-action chain: validate (zod) → session → the action checks role and record.
// next-safe-action gives typed results (field errors, server error) the forms render.
import "server-only";
import { createSafeActionClient } from "next-safe-action";
import { getCurrentUser } from "@/lib/auth/session";
import { isUserFacingError, UnauthenticatedError } from "@/lib/errors";

export const GENERIC_SERVER_ERROR =
  "Something went wrong on the server and nothing was changed. Try again; if it keeps happening, tell an admin.";

export const actionClient = createSafeActionClient({
  defaultValidationErrorsShape: "flattened",
  handleServerError(e) {
    if (isUserFacingError(e)) return e.message;
    console.error("[action] unexpected error", e);
    return GENERIC_SERVER_ERROR;
  },
});

export const authActionClient = actionClient.use(async ({ next }) => {
  const actor = await getCurrentUser();
  if (!actor) throw new UnauthenticatedError();
  return next({ ctx: { actor } });
});
