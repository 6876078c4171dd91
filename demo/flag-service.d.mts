// Types of flag-service.mjs.
import type { Server } from "node:http";

export type Flag = { name: string; project: string; type: string; description: string; environments: Record<string, boolean> };

export const DEMO_FLAGS: readonly Flag[];

/** The flag service's HTTP server, not listening yet, and its flags (live: the server changes them). */
export function createFlagService(options: {
  adminToken: string;
  clientToken?: string;
  flags?: readonly Flag[];
  log?: (line: string) => void;
}): { server: Server; flags: Map<string, Flag> };
