// Shared e2e helpers: sign in through the real form, and read the database the app writes to.
import { expect, type Page } from "@playwright/test";
import pg from "pg";

export const DEMO_PASSWORD = "backout-demo";
export const USERS = {
  admin: { email: "admin@backout.demo", name: "Ada Admin", role: "Admin" },
  rm: { email: "rm@backout.demo", name: "Rita Release", role: "Release manager" },
  responder: { email: "responder@backout.demo", name: "Remy Responder", role: "Responder" },
  viewer: { email: "viewer@backout.demo", name: "Vera Stakeholder", role: "Stakeholder" },
} as const;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/incidents$/);
}

export function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return sqlOn<T>(process.env.E2E_DATABASE_URL ?? "", text, values);
}

/** A query on another database than the e2e server's (a spec that runs its own server). */
export async function sqlOn<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
