// Demo child processes must never outlive the process that started them.

/**
 * Exits when the parent goes away: the IPC channel closes (spawned by fleet.mjs with an "ipc"
 * stdio slot), or the parent PID changes (re-parented after the parent died). Also exits on
 * SIGTERM/SIGINT. `onExit` runs first (synchronously).
 * @param {() => void} [onExit]
 */
export function exitWithParent(onExit) {
  const exit = (/** @type {number} */ code) => {
    try {
      onExit?.();
    } finally {
      process.exit(code);
    }
  };
  if (process.send) process.on("disconnect", () => exit(0));
  const parent = Number(process.env.DEMO_PARENT_PID);
  if (parent > 0) {
    if (process.ppid !== parent) exit(0);
    setInterval(() => {
      if (process.ppid !== parent) exit(0);
    }, 1000).unref();
  }
  process.on("SIGTERM", () => exit(0));
  process.on("SIGINT", () => exit(0));
  // Writing to a closed pipe (parent gone) must not crash us before we notice.
  process.stdout.on("error", () => exit(0));
  process.stderr.on("error", () => exit(0));
}

/**
 * Listens on 127.0.0.1:port; a port in use is reported in one line and ends the process.
 * @param {import("node:http").Server} server @param {number} port @param {string} name
 * @returns {Promise<void>}
 */
export function listen(server, port, name) {
  return new Promise((resolve) => {
    server.once("error", (/** @type {NodeJS.ErrnoException} */ e) => {
      console.error(
        e.code === "EADDRINUSE" ? `${name}: port ${port} on 127.0.0.1 is already in use` : `${name}: cannot listen: ${e.message}`,
      );
      process.exit(1);
    });
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

/** @param {import("node:http").ServerResponse} res @param {number} status @param {unknown} body */
export function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

/** @param {string | undefined} value @param {number} fallback */
export function intEnv(value, fallback) {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) ? n : fallback;
}
