import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "./seed";

describe("seedDemo", () => {
  it("creates the demo users, services and the live checkout incident once", async () => {
    const db = getDb();
    expect(await seedDemo(db)).toEqual({ seeded: true });
    expect(await seedDemo(db)).toEqual({ seeded: false });

    for (const u of DEMO_USERS) {
      const user = await db.user.findUniqueOrThrow({ where: { email: u.email }, select: { role: true, passwordHash: true } });
      expect(user.role).toBe(u.role);
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash ?? "")).toBe(true);
    }
    const live = await db.incident.findFirstOrThrow({ where: { service: { slug: "checkout-service" }, status: { not: "RESOLVED" } } });
    expect(live).toMatchObject({ badVersion: "v2.5.0", previousVersion: "v2.4.0" });
    expect(live.detectedAt.getTime()).toBeGreaterThan(live.deployedAt.getTime());
    expect(await db.timelineEvent.count({ where: { incidentId: live.id } })).toBeGreaterThan(0);
  });
});
