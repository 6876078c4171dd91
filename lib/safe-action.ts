// The server-action chain: validate (zod) → session → the action checks role and record.
// next-safe-action gives typed results (field errors, server error) the forms render.
import "server-only";
import { revalidatePath } from "next/cache";
import { createSafeActionClient, returnValidationErrors } from "next-safe-action";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { isUserFacingError, Refusal, UnauthenticatedError } from "@/lib/errors";
import type { Change } from "@/lib/incidents/change";

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

/** Server actions made by `changeAction`, with the change each runs (the refusal test walks them). */
export const ACTION_CHANGES = new WeakMap<object, Change<z.ZodType, unknown>>();

type Revalidate = readonly [path: string, type?: "page" | "layout"];

/**
 * The server action of a change: the session's user runs it through the change path. The input is
 * parsed once, by the change (so an invalid input is refused and audited like any refusal); a
 * refusal with a field comes back as that field's validation error, any other as the server error.
 */
export function changeAction<S extends z.ZodType, T, R = { ok: true }, F = never>(
  change: Change<S, T>,
  options: {
    revalidate?: readonly Revalidate[];
    result?: (value: T) => R;
    /**
     * A refusal the form shows as data rather than as one message (a runbook's every problem by
     * field): return it, or undefined for the usual field error / server error. Already audited.
     */
    refused?: (refusal: Refusal) => F | undefined;
  } = {},
) {
  const action = authActionClient
    // Typed for the form; not validated here: the change parses, once.
    .inputSchema(z.custom<z.input<S>>(() => true))
    .action(async ({ parsedInput, ctx }): Promise<R | F> => {
      const revalidate = () => {
        for (const [path, type] of options.revalidate ?? []) revalidatePath(path, type);
      };
      let value: T;
      try {
        // runOrThrow, not run: the refusal keeps its own class and facts for `refused`.
        value = await change.runOrThrow(ctx.actor, parsedInput);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        // A stale change: the response re-renders the page with the current state it lost to.
        if (e.code === "stale") revalidate();
        const shown = options.refused?.(e);
        if (shown !== undefined) return shown;
        if (e.field) returnValidationErrors(change.schema, { [e.field]: { _errors: [e.message] } } as never);
        throw e;
      }
      revalidate();
      return options.result ? options.result(value) : ({ ok: true } as R);
    });
  ACTION_CHANGES.set(action, change as Change<z.ZodType, unknown>);
  return action;
}
