// Prisma 7 reads the connection from here, not from schema.prisma.
// `process.env.X ?? ""` rather than env("X"): env() throws when X is unset, which would break
// `prisma generate` on a machine with no database configured.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "",
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL ?? undefined,
  },
});
