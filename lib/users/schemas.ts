import { z } from "zod";
import { Role } from "@/generated/prisma/enums";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  name: z.string().trim().min(2, "Enter the person's name.").max(100, "Keep the name under 100 characters."),
  role: z.enum(Role, { error: "Choose a role." }),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(200, "Keep the password under 200 characters."),
});

export const changeRoleSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(Role, { error: "Choose a role." }),
});

/** The user a disable or enable is about. */
export const userRefSchema = z.object({ userId: z.string().min(1) });

export const setDisabledSchema = userRefSchema.extend({ disabled: z.boolean() });
