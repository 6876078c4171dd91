"use server";

import { revalidatePath } from "next/cache";
import { authActionClient } from "@/lib/safe-action";
import { changeRole, createUser, setUserDisabled } from "./mutations";
import { changeRoleSchema, createUserSchema, setDisabledSchema } from "./schemas";

export const createUserAction = authActionClient.inputSchema(createUserSchema).action(async ({ parsedInput, ctx }) => {
  const user = await createUser(ctx.actor, parsedInput);
  revalidatePath("/admin");
  return { id: user.id, email: user.email };
});

export const changeRoleAction = authActionClient.inputSchema(changeRoleSchema).action(async ({ parsedInput, ctx }) => {
  await changeRole(ctx.actor, parsedInput);
  revalidatePath("/admin");
  return { ok: true };
});

export const setUserDisabledAction = authActionClient.inputSchema(setDisabledSchema).action(async ({ parsedInput, ctx }) => {
  await setUserDisabled(ctx.actor, parsedInput);
  revalidatePath("/admin");
  return { ok: true };
});
