// Integration tests: one fresh database per run, dropped at the end.
import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabase } from "./test-database";

let db: TestDatabase | undefined;

export async function setup(_project: TestProject) {
  db = await createTestDatabase("int");
  process.env.DATABASE_URL = db.url;
  process.env.AUTH_SECRET ??= "integration-tests-only";
}

export async function teardown() {
  await db?.drop();
}
