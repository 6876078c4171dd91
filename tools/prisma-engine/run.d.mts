// Types for run.mjs (the project type-checks TypeScript only: allowJs is off).

/** Absolute path of the stand-in engine executable. */
export declare const ENGINE_PATH: string;
/** Absolute path of the Prisma CLI entry point. */
export declare const PRISMA_CLI: string;
/** process.env plus PRISMA_SCHEMA_ENGINE_BINARY=stand-in, unless BACKOUT_PRISMA_ENGINE=native or the caller set one. */
export declare function prismaEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
/** Runs `prisma <args>`; resolves with the exit code and captured output (never rejects on a non-zero exit). */
export declare function runPrisma(
  args: string[],
  options?: { env?: NodeJS.ProcessEnv; cwd?: string; stdio?: "pipe" | "inherit"; input?: string },
): Promise<{ code: number; stdout: string; stderr: string }>;
