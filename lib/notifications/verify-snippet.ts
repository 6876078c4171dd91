// The receiver's side of a SIGNED_JSON destination, as documented (README "Notifications", the admin
// page). The integration test runs exactly this text and checks that README.md carries it verbatim.
export const VERIFY_SNIPPET = `// Node.js: verify a Backout notification. \`rawBody\` is the request body exactly as received
// (a Buffer or string, before any JSON parsing); \`headers\` are the request's headers.
const crypto = require("node:crypto");

function verifyBackoutSignature(secret, headers, rawBody, toleranceSeconds = 300) {
  const timestamp = headers["x-backout-timestamp"];
  const signature = headers["x-backout-signature"];
  if (typeof timestamp !== "string" || typeof signature !== "string") return false;
  // Replay window: refuse a delivery signed more than 5 minutes ago (or ahead).
  const age = Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp));
  if (!Number.isFinite(age) || age > toleranceSeconds) return false;
  const expected = "v1=" + crypto.createHmac("sha256", secret).update(timestamp + "." + rawBody).digest("hex");
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

module.exports = { verifyBackoutSignature };
`;
