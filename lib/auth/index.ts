// Auth.js with email + password. The token carries only the user id: role and "disabled" are
// read from the database on every request, so a change takes effect on the next one.
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { authConfig } from "./config";
import { verifyPassword } from "./password";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A refused sign-in is expected and audited; a stack trace per wrong password is noise.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const { email, password } = parsed.data;
        const db = getDb();
        const user = await db.user.findUnique({
          where: { email },
          select: { id: true, email: true, name: true, role: true, disabledAt: true, passwordHash: true },
        });
        const ok = user ? await verifyPassword(password, user.passwordHash) : false;
        if (!user || !ok || user.disabledAt) {
          await writeAudit(db, {
            actor: user && { id: user.id, email: user.email, name: user.name, role: user.role },
            action: "auth.sign_in",
            outcome: "DENIED",
            entityType: "User",
            entityId: user?.id,
            // Shaped like a refused change's row (code, reason): one way to read every DENIED row.
            details: { code: "forbidden", reason: !user || !ok ? "bad credentials" : "account disabled", email },
          });
          throw new CredentialsSignin();
        }
        await db.$transaction(async (tx) => {
          await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
          await writeAudit(tx, {
            actor: { id: user.id, email: user.email, name: user.name, role: user.role },
            action: "auth.sign_in",
            outcome: "ALLOWED",
            entityType: "User",
            entityId: user.id,
          });
        });
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
});
