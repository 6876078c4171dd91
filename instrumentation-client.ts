// Runs in the browser before the app's own code. zod compiles its object parsers with
// `new Function` when the page allows it, and merely probing for that is an eval the
// Content-Security-Policy refuses (a violation on every page that loads a form schema): zod is
// told not to try. Parsing is the same, only without the compiled fast path.
import { config } from "zod";

config({ jitless: true });
