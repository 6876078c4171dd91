// Types of model.mjs.

export type Colour = "blue" | "green";
export type Profile = {
  colour: Colour;
  version: string;
  poolSize: number;
  acquireTimeoutMs: number;
  checkoutHoldMs: [number, number];
  loginHoldMs: [number, number];
  beforeMs: [number, number];
  afterMs: [number, number];
  baseErrorRate: number;
  /** The feature flag the version's new code is behind, and checkout's hold time with the flag off. */
  flag?: { name: string; offCheckoutHoldMs: [number, number] };
};

export const PROFILES: Record<Colour, Profile>;
export const TRAFFIC: { rps: number; loginShare: number };
export function isColour(s: string | undefined): s is Colour;
export function uniform(range: [number, number], rand?: () => number): number;
export function seededRandom(seed: number): () => number;
export function normal(rand?: () => number): number;
export function meanHoldMs(p: Profile, loginShare?: number): number;
export function poolLoad(p: Profile, rps: number): number;
export function timeoutFraction(rho: number): number;
export function meanWaitMs(p: Profile, rho: number): number;
export function drawRequests(p: Profile, rho: number, count: number, rand: () => number, latencies: Float64Array): number;
