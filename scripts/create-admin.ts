// `npm run create-admin -- --email you@example.com --name "Your Name"`: the first admin of a
// real install. The password is read from BACKOUT_ADMIN_PASSWORD or asked for on the terminal.
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { writeAudit } from "@/lib/audit/log";
import { hashPassword } from "@/lib/auth/password";
import { createPrismaClient } from "@/lib/db-client";
import { createUserSchema } from "@/lib/users/schemas";
import { migrateDeploy } from "./lib/migrate";
import { createDatabaseIfMissing, DATA_DIR, embeddedPort, type PostgresServer, startEmbeddedPostgres } from "./lib/postgres";

async function readPassword(): Promise<string> {
  if (process.env.BACKOUT_ADMIN_PASSWORD) return process.env.BACKOUT_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new Error("Set BACKOUT_ADMIN_PASSWORD, or run this in a terminal to be asked for the password.");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question("Password (10+ characters): ");
  } finally {
    rl.close();
  }
}

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
  const parsed = createUserSchema.safeParse({ email: values.email, name: values.name, role: "ADMIN", password: await readPassword() });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error('usage: npm run create-admin -- --email you@example.com --name "Your Name"');
  }
  let server: PostgresServer | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    server = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "postgres"), port: embeddedPort() });
    await createDatabaseIfMissing(server, "backout");
    url = server.urlFor("backout");
  }
  try {
    await migrateDeploy(url);
    const db = createPrismaClient(url);
    const { email, name, password } = parsed.data;
    const passwordHash = await hashPassword(password);
    const user = await db.$transaction(async (tx) => {
      const u = await tx.user.upsert({
        where: { email },
        create: { email, name, role: "ADMIN", passwordHash },
        update: { name, role: "ADMIN", passwordHash, disabledAt: null },
        select: { id: true, email: true, name: true, role: true },
      });
      await writeAudit(tx, {
        actor: null,
        action: "user.create_admin_cli",
        outcome: "ALLOWED",
        entityType: "User",
        entityId: u.id,
        details: { email },
      });
      return u;
    });
    await db.$disconnect();
    console.log(`[backout] ${user.email} is now an admin. Sign in at /sign-in.`);
  } finally {
    await server?.stop();
  }
}

main().catch((e) => {
  console.error(`[backout] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
