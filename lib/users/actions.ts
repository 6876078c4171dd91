"use server";

import { changeAction } from "@/lib/safe-action";
import { changeRoleChange, createUserChange, disableUserChange, enableUserChange, endUserSessionsChange } from "./mutations";

const revalidate = [["/admin"]] as const;

export const createUserAction = changeAction(createUserChange, { revalidate, result: (user) => ({ id: user.id, email: user.email }) });

export const changeRoleAction = changeAction(changeRoleChange, { revalidate });

export const disableUserAction = changeAction(disableUserChange, { revalidate });

export const enableUserAction = changeAction(enableUserChange, { revalidate });

export const endUserSessionsAction = changeAction(endUserSessionsChange, { revalidate, result: ({ sessions }) => ({ sessions }) });
