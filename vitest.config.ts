import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // "server-only" throws outside React Server Components; tests call the server code directly.
  "server-only": path.resolve(import.meta.dirname, "scripts/lib/empty-module.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["**/*.test.ts"], exclude: ["**/*.int.test.ts", "node_modules/**", "e2e/**", ".next/**"] },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          // One database per run, shared by the files: run them one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["scripts/lib/vitest-global-setup.ts"],
          // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses;
          // inlined, Vite resolves it (the server-action registry test imports the actions modules).
          server: { deps: { inline: ["next-auth"] } },
        },
      },
    ],
  },
});
