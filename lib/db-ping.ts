// "Does the database answer right now?", asked by the proxy before it lets a page render: during an
// outage a page is answered 503 with "Database unavailable, retrying" (it reloads itself), never
// rendered into a 500. One small pool of its own, so the check never waits behind the app's queries.
import pg from "pg";

const PING_TIMEOUT_MS = 1500;

let pool: pg.Pool | null = null;

function pingPool(): pg.Pool | null {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (!pool) {
    pool = new pg.Pool({
      connectionString: url,
      max: 2,
      connectionTimeoutMillis: PING_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      query_timeout: PING_TIMEOUT_MS,
      application_name: "backout-ping",
    });
    // A dropped idle connection is the outage the ping reports, not a crash of the server.
    pool.on("error", () => {});
  }
  return pool;
}

/** True when the database answered `SELECT 1` within the timeout (or when there is none to ask). */
export async function databaseAnswers(): Promise<boolean> {
  const p = pingPool();
  if (!p) return true;
  try {
    await p.query("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the proxy asks the database before letting this request render a page: a page's HTML or
 * the router's fetch of it on a navigation. Not a prefetch (Next's router sends
 * `Next-Router-Prefetch`; a browser's own prefetch says `Purpose`/`Sec-Purpose: prefetch`): links
 * prefetch as they scroll into view, and a ping for each would put a database round trip in front
 * of every link on a page. A prefetch that fails in an outage is simply not cached; the navigation
 * that follows is asked, and answered 503.
 */
export function needsDatabaseCheck(method: string, pathname: string, headers: Headers): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (pathname.startsWith("/api/")) return false;
  if (headers.has("next-router-prefetch")) return false;
  if (/prefetch/i.test(headers.get("purpose") ?? "") || /prefetch/i.test(headers.get("sec-purpose") ?? "")) return false;
  return headers.get("rsc") === "1" || (headers.get("accept") ?? "").includes("text/html");
}

/** The page a browser gets while the database does not answer: no script, it reloads itself. */
export function databaseUnavailablePage(retrySeconds = 5): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${retrySeconds}"><title>Database unavailable — Backout</title></head>
<body style="font-family: system-ui, sans-serif; margin: 0; background: #f3f4f6; color: #111827">
<main role="alert" style="max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.25rem">Database unavailable, retrying</h1>
<p style="color: #4b5563">The server cannot reach its database right now. This page tries again every ${retrySeconds} seconds and comes back by itself once the database answers; nothing you did is lost.</p>
</main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "retry-after": String(retrySeconds), "cache-control": "no-store" },
  });
}
