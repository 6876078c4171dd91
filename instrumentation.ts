// Runs once when a server instance starts; the Node-only part lives in instrumentation-node.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
