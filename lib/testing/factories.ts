// Test data for integration tests: real rows in the per-run test database.
import { randomUUID } from "node:crypto";
import type { Role } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { createIntegrationChange } from "@/lib/integrations/alertmanager/mutations";

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

/** A fresh incident on a fresh service (SEV2, deployed 30 min ago). */
export async function makeIncident(overrides: { title?: string } = {}): Promise<{ id: string; number: number; serviceId: string }> {
  const service = await makeService();
  const now = Date.now();
  return getDb().incident.create({
    data: {
      title: overrides.title ?? `Test incident ${randomUUID().slice(0, 6)}`,
      serviceId: service.id,
      badVersion: "v2",
      previousVersion: "v1",
      severity: "SEV2",
      deployedAt: new Date(now - 30 * 60_000),
      detectedAt: new Date(now - 20 * 60_000),
    },
    select: { id: true, number: true, serviceId: true },
  });
}

/** An Alertmanager integration made by `admin` through the change path; its token is shown once, here. */
export async function makeIntegration(admin: Actor, overrides: { suspectWindowMinutes?: number; defaultSeverity?: "SEV2" | "SEV3" } = {}) {
  const outcome = await createIntegrationChange.run(admin, {
    name: `am-${randomUUID().slice(0, 6)}`,
    serviceLabel: "service",
    defaultSeverity: overrides.defaultSeverity ?? "SEV2",
    suspectWindowMinutes: overrides.suspectWindowMinutes ?? 30,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.value;
}
