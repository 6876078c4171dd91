// Test data for integration tests: real rows in the per-run test database.
import { randomUUID } from "node:crypto";
import type { Role } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";

export async function makeUser(role: Role, overrides: { disabled?: boolean } = {}): Promise<Actor> {
  const tag = randomUUID().slice(0, 8);
  const user = await getDb().user.create({
    data: {
      email: `${role.toLowerCase()}-${tag}@test.local`,
      name: `${role} ${tag}`,
      role,
      // Not a valid bcrypt hash on purpose: these users never sign in through the UI.
      passwordHash: "!",
      disabledAt: overrides.disabled ? new Date() : null,
    },
    select: { id: true, email: true, name: true, role: true },
  });
  return user;
}

export async function makeService(): Promise<{ id: string; name: string }> {
  const slug = `svc-${randomUUID().slice(0, 8)}`;
  return getDb().service.create({ data: { slug, name: slug }, select: { id: true, name: true } });
}
