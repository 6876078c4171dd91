// Types of fleet.mjs (plain JavaScript with JSDoc, so the children start with plain `node`).

export type FleetMember = "router" | "blue" | "green" | "flags" | "load";

export type FleetOptions = {
  /** Backout's base URL, e.g. http://127.0.0.1:3000. Without it the router measures but does not push. */
  backoutUrl?: string;
  /** Sent as `Authorization: Bearer …` with every POST /api/v1/metrics. */
  ingestToken?: string;
  /** When set, POST /admin/switch on the router needs `Authorization: Bearer <routerToken>`. */
  routerToken?: string;
  /** The flag service's admin API token (sent as `Authorization: <token>`); a fresh "*:*.<secret>" when absent. */
  flagsToken?: string;
  /** Defaults: router 4100, blue 4101, green 4102, flag service 4103 (all on 127.0.0.1). */
  ports?: Partial<{ router: number; blue: number; green: number; flags: number }>;
  /** One line per call, already prefixed ("[demo:router] …"). Default: console.log. */
  log?: (line: string) => void;
  /** Requests/s of the load generator (default 20). */
  loadRps?: number;
};

export type Fleet = {
  /** http://127.0.0.1:<router port> */
  routerUrl: string;
  /** The flag service (Unleash API subset): http://127.0.0.1:<flags port> */
  flagsUrl: string;
  /** Its admin API token. */
  flagsToken: string;
  urls: Record<"blue" | "green", string>;
  pids: Record<FleetMember, number>;
  /** Stops every child (SIGTERM, SIGKILL after 3 s) and resolves once all have exited. Idempotent. */
  stop: () => Promise<void>;
  /** Stops one colour (the environment goes down; the router stays up). */
  stopMember: (name: "blue" | "green") => Promise<void>;
  /** Starts a stopped colour again on its port; resolves once it answers /health. */
  startMember: (name: "blue" | "green") => Promise<void>;
};

export const DEFAULT_PORTS: Readonly<{ router: 4100; blue: 4101; green: 4102; flags: 4103 }>;

/** A fresh admin token for the flag service, "*:*.<secret>" like Unleash's. */
export function newFlagsToken(): string;

/** Starts blue, green, the flag service, the router (green active) and the load generator; resolves once all but the load answer /health. */
export function startFleet(options?: FleetOptions): Promise<Fleet>;
