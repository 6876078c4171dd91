// What `npm test` needs from the machine beyond node_modules, in one place: the PostgreSQL client
// tools matching the server the integration tests use, Debian's Chromium for Playwright, and a
// real Prometheus (with promtool) and a real Alertmanager. Checked before anything runs; what is missing is installed
// with apt-get when we are root (as on CI and these machines), otherwise the run stops with one
// message that gives the command to run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { alertmanagerBinary } from "@/lib/testing/alertmanager-harness";
import { findChromium } from "@/lib/testing/chromium";
import { pgToolsProblem, serverMajor } from "@/lib/testing/pg-tools";
import { promtoolBinary } from "@/lib/testing/prometheus-harness";
import { embeddedMajor } from "./postgres";

export type Suite = "typecheck" | "lint" | "unit" | "integration" | "e2e";

/** A requirement not met; `debianPackage` when installing that package would meet it. */
type Unmet = { what: string; problem: string; debianPackage?: string };

type Requirement = { suites: Suite[]; check(): Promise<Unmet | null> };

/** The requirements failed to be met: the message says what to do; no stack trace needed. */
export class RequirementsError extends Error {}

/** The major version of the server the integration tests will use: DATABASE_URL's, or the embedded one's. */
async function testServerMajor(): Promise<{ major: number; label: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { major: embeddedMajor(), label: "the embedded test server" };
  try {
    return { major: await serverMajor(url), label: "the server of DATABASE_URL" };
  } catch (e) {
    throw new RequirementsError(
      `DATABASE_URL is set but its server does not answer (${e instanceof Error ? e.message : String(e)}). Start it, or unset DATABASE_URL to test against the embedded PostgreSQL.`,
    );
  }
}

const REQUIREMENTS: Requirement[] = [
  {
    suites: ["integration"],
    async check() {
      const server = await testServerMajor();
      const problem = await pgToolsProblem(server.major);
      if (!problem) return null;
      const what = `PostgreSQL ${server.major} client tools (pg_dump, pg_restore) for ${server.label}`;
      // Debian's postgresql-client is its supported major (15 on Debian 12), which the embedded server matches.
      return problem.missing ? { what, problem: problem.message, debianPackage: "postgresql-client" } : { what, problem: problem.message };
    },
  },
  {
    suites: ["integration", "e2e"],
    async check() {
      try {
        promtoolBinary(); // finds prometheus first: both come in Debian's prometheus package
        return null;
      } catch (e) {
        const custom = process.env.PROMETHEUS_BIN || process.env.PROMTOOL_BIN;
        // Only the finding: the one install command comes at the end of the message.
        const problem = (e instanceof Error ? e.message : String(e)).split(/\. |; /)[0];
        // A PROMETHEUS_BIN that points nowhere is a mistake apt-get cannot fix.
        return custom && !existsSync(custom)
          ? { what: "Prometheus", problem }
          : { what: "Prometheus", problem, debianPackage: "prometheus" };
      }
    },
  },
  {
    // The receiver's test sends a real alert through a real Alertmanager.
    suites: ["integration"],
    async check() {
      try {
        alertmanagerBinary();
        return null;
      } catch (e) {
        const custom = process.env.ALERTMANAGER_BIN;
        const problem = (e instanceof Error ? e.message : String(e)).split(". ")[0];
        return custom && !existsSync(custom)
          ? { what: "Alertmanager", problem }
          : { what: "Alertmanager", problem, debianPackage: "prometheus-alertmanager" };
      }
    },
  },
  {
    // The documents' PDF tests read the PDFs back as a person would: their text and a page as pixels.
    suites: ["unit", "integration"],
    async check() {
      const missing = ["pdftotext", "pdftoppm", "pdfinfo"].filter((tool) => spawnSync(tool, ["-v"], { stdio: "ignore" }).error);
      return missing.length === 0
        ? null
        : { what: "poppler's PDF tools", problem: `${missing.join(", ")} not on the PATH`, debianPackage: "poppler-utils" };
    },
  },
  {
    suites: ["e2e"],
    async check() {
      if (findChromium()) return null;
      return process.env.CHROMIUM_PATH
        ? { what: "Chromium", problem: `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` }
        : { what: "Chromium", problem: "chromium is not on the PATH", debianPackage: "chromium" };
    },
  },
];

async function unmetFor(suites: Suite[]): Promise<Unmet[]> {
  const wanted = REQUIREMENTS.filter((r) => r.suites.some((s) => suites.includes(s)));
  return (await Promise.all(wanted.map((r) => r.check()))).filter((u): u is Unmet => u !== null);
}

/** apt-get, quiet unless it fails (dpkg prints hundreds of lines even with -qq); then its output is shown. */
function aptGet(args: string[]): boolean {
  // Wait for another apt-get (a neighbour's install) instead of failing on its lock.
  const result = spawnSync("apt-get", ["-o", "DPkg::Lock::Timeout=300", ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status === 0) return true;
  process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? `${result.error.message}\n` : ""}`);
  return false;
}

function hasAptGet(): boolean {
  return spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

function listUnmet(unmet: Unmet[]): string {
  return unmet.map((u) => `  - ${u.what}: ${u.problem}`).join("\n");
}

/**
 * Meets what the chosen suites need, or throws RequirementsError with one message saying what to
 * do. Installs Debian packages only when we are root and apt-get exists (CI, these machines).
 */
export async function ensureRequirements(suites: Suite[], log: (line: string) => void): Promise<void> {
  let unmet = await unmetFor(suites);
  const notInstallable = unmet.filter((u) => !u.debianPackage);
  if (notInstallable.length > 0) {
    throw new RequirementsError(`npm test cannot run here:\n${listUnmet(notInstallable)}`);
  }
  const packages = [...new Set(unmet.map((u) => u.debianPackage as string))];
  if (packages.length === 0) return;

  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !hasAptGet()) {
    const how = hasAptGet()
      ? `Install them, then run npm test again:\n\n    sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}\n`
      : `This machine has no apt-get: install ${packages.join(", ")} with its package manager (or set CHROMIUM_PATH / PROMETHEUS_BIN), then run npm test again.`;
    throw new RequirementsError(`npm test needs what this machine does not have yet:\n${listUnmet(unmet)}\n\n${how}`);
  }

  log(`installing ${packages.join(", ")} from Debian (apt-get, as root), for:\n${listUnmet(unmet)}`);
  if (!aptGet(["update", "-qq"]) || !aptGet(["install", "-y", "-qq", ...packages])) {
    throw new RequirementsError(`apt-get could not install ${packages.join(" ")} (its output is above).`);
  }
  unmet = await unmetFor(suites);
  if (unmet.length > 0) {
    throw new RequirementsError(`still missing after installing ${packages.join(" ")}:\n${listUnmet(unmet)}`);
  }
}
