import { describe, expect, it } from "vitest";
import { STRATEGY_TEMPLATES } from "@/lib/rollback/plans";
import { demoFlagRunbookSteps, demoRunbookSteps } from "@/prisma/seed";
import { checkRunbook, describeIssue, type RunbookIssue, strategyRoles } from "./rules";

const ENV = { DEMO_ROUTER_AUTH: "Bearer x", BACKOUT_NOTIFY_WEBHOOK: "http://hook", DB_URL: "postgres://db/app", FLAGS_TOKEN: "t" };

const errors = (issues: RunbookIssue[]) => issues.filter((i) => i.severity === "error");
const at = (issues: RunbookIssue[], path: string) => issues.filter((i) => i.path === path).map((i) => i.message);

const http = (key: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  key,
  name: key,
  executor: "HTTP",
  config,
  ...extra,
});

/** A database-restore runbook that satisfies every rule, to break one rule at a time. */
function restoreSteps() {
  return [
    {
      key: "verify-backup",
      name: "Verify the backup",
      executor: "POSTGRES",
      config: { operation: "check-backup", backupPath: "/b/n.dump" },
    },
    http("maintenance-on", { method: "POST", url: "http://lb/maintenance/on" }),
    {
      key: "stop-instances",
      name: "Stop instances",
      executor: "COMMAND",
      destructive: true,
      config: { argv: ["systemctl", "stop", "app"] },
    },
    { key: "emergency-backup", name: "Emergency backup", executor: "POSTGRES", config: { operation: "backup", databaseUrlEnv: "DB_URL" } },
    {
      key: "restore",
      name: "Restore",
      executor: "POSTGRES",
      destructive: true,
      config: { operation: "restore", databaseUrlEnv: "DB_URL", backupPath: "/b/n.dump" },
    },
    {
      key: "verify-integrity",
      name: "Integrity",
      executor: "POSTGRES",
      config: { operation: "integrity", databaseUrlEnv: "DB_URL", tables: ["orders"] },
    },
    { key: "start-previous", name: "Start previous", executor: "COMMAND", config: { argv: ["systemctl", "start", "app@v1"] } },
    { key: "verify-health", name: "Health", executor: "HEALTH_CHECK", config: { urls: ["http://app/health"] } },
    http("maintenance-off", { method: "POST", url: "http://lb/maintenance/off" }),
  ];
}

describe("runbook rules", () => {
  it("accept the demo's blue-green runbook, and warn when its secrets' variables are not set here", () => {
    const ok = checkRunbook("BLUE_GREEN", demoRunbookSteps("http://127.0.0.1:4100"), ENV);
    expect(ok.issues).toEqual([]);
    expect(ok.steps?.map((s) => s.key)).toEqual(STRATEGY_TEMPLATES.BLUE_GREEN.map((s) => s.key));

    const unset = checkRunbook("BLUE_GREEN", demoRunbookSteps("http://127.0.0.1:4100"), {});
    expect(errors(unset.issues)).toEqual([]);
    expect(unset.steps).not.toBeNull();
    expect(at(unset.issues, "steps.2.config.secretHeaders.Authorization")).toEqual([
      "DEMO_ROUTER_AUTH (the Authorization header) is not set on this server: the step will stop as not configured until it is.",
    ]);
  });

  it("accept the demo's feature-flag runbook (the flag executor, a wait, verify-metrics); its token only by NAME", () => {
    const ok = checkRunbook("FEATURE_FLAG", demoFlagRunbookSteps("http://127.0.0.1:4103"), { DEMO_FLAGS_TOKEN: "*:*.x" });
    expect(ok.issues).toEqual([]);
    const unset = checkRunbook("FEATURE_FLAG", demoFlagRunbookSteps("http://127.0.0.1:4103"), {});
    expect(at(unset.issues, "steps.0.config.tokenEnv")).toEqual([
      "DEMO_FLAGS_TOKEN (the flag service's API token) is not set on this server: the step will stop as not configured until it is.",
    ]);
    const [flagsOff, ...rest] = demoFlagRunbookSteps("http://127.0.0.1:4103");
    const literal = checkRunbook(
      "FEATURE_FLAG",
      [{ ...flagsOff, config: { ...flagsOff.config, tokenEnv: "Bearer abcdefgh12345678" } }, ...rest],
      {},
    );
    expect(errors(literal.issues).map((i) => i.path)).toContain("steps.0.config.tokenEnv");
    const unmarked = checkRunbook("FEATURE_FLAG", [{ ...flagsOff, changesTraffic: false }, ...rest], { DEMO_FLAGS_TOKEN: "x" });
    expect(at(unmarked.issues, "steps.0.changesTraffic")).toEqual([
      "As “Turn the release's feature flags off” of a feature-flag runbook, this step changes traffic: mark it so.",
    ]);
  });

  it("refuse each executor's bad settings with the executor's own message, on the field", () => {
    const steps = [
      http("a", { url: "ftp://x" }),
      { key: "b", name: "b", executor: "COMMAND", config: { argv: [] } },
      { key: "c", name: "c", executor: "POSTGRES", config: { operation: "check-backup" } },
      { key: "d", name: "d", executor: "HEALTH_CHECK", config: { urls: [] } },
      { key: "e", name: "e", executor: "WAIT", config: { seconds: 3600 } },
      { key: "f", name: "f", executor: "VERIFY_METRICS", config: { maxErrorRate: 5 } },
      { key: "g", name: "g", executor: "NOTIFY", config: { webhookUrlEnv: "https://hooks.example/x" } },
      http("h", { url: "http://x", method: "GET", body: "{{incident.severity}}" }),
      { key: "i", name: "i", executor: "WAIT", config: { seconds: "ten" } },
    ];
    const { steps: saved, issues } = checkRunbook("CUSTOM", steps, ENV);
    expect(saved).toBeNull();
    expect(at(issues, "steps.0.config.url")).toEqual(["must be an absolute http:// or https:// URL"]);
    expect(at(issues, "steps.1.config.argv")).toEqual(["needs at least the program to run"]);
    expect(at(issues, "steps.2.config.backupPath")).toEqual(["a backup check needs the backup file to check"]);
    expect(at(issues, "steps.3.config.urls")).toEqual(["needs at least one URL"]);
    expect(at(issues, "steps.4.config.seconds")).toEqual(["must be at most 600 seconds"]);
    expect(at(issues, "steps.5.config.maxErrorRate")).toEqual(["must be a fraction between 0 and 1 (0.05 = 5%)"]);
    expect(at(issues, "steps.6.config.webhookUrlEnv")).toEqual(["must be the NAME of an environment variable (not a URL)"]);
    expect(at(issues, "steps.7.config.body")).toEqual([
      "unknown placeholder {{incident.severity}} (use {{incident.title}}, {{service.name}} or {{run.id}})",
      "a GET request cannot have a body",
    ]);
    expect(at(issues, "steps.8.config.seconds")).toEqual(["must be a number of seconds"]);
  });

  it("want names and IDs, unique", () => {
    const { issues } = checkRunbook(
      "CUSTOM",
      [
        { key: "wait", name: "Pause", executor: "WAIT", config: { seconds: 1 } },
        { key: "wait", name: " pause ", executor: "WAIT", config: { seconds: 1 } },
        { key: "Bad Key", name: "", executor: "WAIT", config: { seconds: 1 } },
        { key: "x", name: "x", executor: "SSH", config: {} },
      ],
      ENV,
    );
    expect(at(issues, "steps.1.name")).toEqual(["Step 1 already has this name: names must differ."]);
    expect(at(issues, "steps.1.key")).toEqual(["Step 1 already has this ID: IDs must differ."]);
    expect(at(issues, "steps.2.name")).toEqual(["Name the step."]);
    expect(at(issues, "steps.2.key")).toEqual(["Use lowercase letters and digits joined by dashes, e.g. switch-traffic."]);
    expect(at(issues, "steps.3.executor")).toEqual(["Choose what the step runs."]);
    expect(checkRunbook("CUSTOM", [], ENV).issues).toEqual([{ path: "steps", severity: "error", message: "Add at least one step." }]);
  });

  it("want the destructive flag where a step destroys, and not where it cannot", () => {
    const { issues } = checkRunbook(
      "CUSTOM",
      [
        { key: "backup", name: "Backup", executor: "POSTGRES", config: { operation: "backup", databaseUrlEnv: "DB_URL" } },
        {
          key: "restore",
          name: "Restore",
          executor: "POSTGRES",
          config: { operation: "restore", databaseUrlEnv: "DB_URL", fromStep: "backup" },
        },
        { key: "stop", name: "Stop", executor: "COMMAND", config: { argv: ["kubectl", "scale", "deploy/app", "--replicas=0"] } },
        { key: "stop2", name: "Stop 2", executor: "COMMAND", config: { argv: ["bash", "-c", "systemctl stop app && echo done"] } },
        http("kill", { method: "POST", url: "http://orchestrator/apps/checkout/stop" }),
        { key: "pause", name: "Pause", executor: "WAIT", destructive: true, changesTraffic: true, config: { seconds: 1 } },
        { key: "start", name: "Start", executor: "COMMAND", config: { argv: ["systemctl", "start", "app"] } },
      ],
      ENV,
    );
    expect(at(issues, "steps.1.destructive")[0]).toMatch(/^Mark this step destructive: a restore replaces the database's contents/);
    expect(at(issues, "steps.2.destructive")[0]).toMatch(/scales to zero replicas/);
    expect(at(issues, "steps.3.destructive")[0]).toMatch(/runs “stop”/);
    expect(at(issues, "steps.4.destructive")[0]).toMatch(/calls …\/stop/);
    expect(at(issues, "steps.5.destructive")).toEqual([
      "A wait only pauses: it cannot be destructive (that would ask for the service name for nothing).",
    ]);
    expect(at(issues, "steps.5.changesTraffic")).toEqual(["A wait only pauses: it cannot change traffic."]);
    expect(at(issues, "steps.6.destructive")).toEqual([]);
  });

  it("refuse secret values: only environment-variable names", () => {
    const { issues } = checkRunbook(
      "CUSTOM",
      [
        http("a", { url: "http://flags/api", headers: { Authorization: "Bearer abcdefgh12345", "content-type": "application/json" } }),
        http("b", { url: "https://user:pa55@flags/api?token=abc&page=2" }),
        http("c", { method: "POST", url: "http://flags/api", body: '{"password":"hunter2","flag":"{{service.name}}"}' }),
        {
          key: "d",
          name: "d",
          executor: "COMMAND",
          config: { argv: ["deploy", "--token", "abc123", "--api-key=xyz"], env: { DB_PASSWORD: "pw" } },
        },
        {
          key: "e",
          name: "e",
          executor: "NOTIFY",
          config: { webhookUrlEnv: "HOOK", text: "see https://hooks.slack.com/services/T0/B0/XYZ" },
        },
        http("f", { url: "http://flags/api", secretHeaders: { Authorization: "FLAGS_TOKEN" } }),
        { key: "g", name: "g", executor: "COMMAND", config: { argv: ["deploy"], secretEnv: { DB_PASSWORD: "DB_URL" } } },
      ],
      { ...ENV, HOOK: "http://hook" },
    );
    expect(at(issues, "steps.0.config.headers.Authorization")[0]).toMatch(
      /^Looks like a secret \(a literal Authorization header\).*Secret headers/,
    );
    expect(at(issues, "steps.0.config.headers.content-type")).toEqual([]);
    expect(at(issues, "steps.1.config.url")[0]).toMatch(/a user name or password in the URL/);
    expect(at(issues, "steps.2.config.body")[0]).toMatch(/a literal "password"/);
    expect(at(issues, "steps.3.config.argv.2")[0]).toMatch(/the value of --token.*Secret environment/);
    expect(at(issues, "steps.3.config.argv.3")[0]).toMatch(/a literal api-key/);
    expect(at(issues, "steps.3.config.env.DB_PASSWORD")[0]).toMatch(/a literal DB_PASSWORD/);
    expect(at(issues, "steps.4.config.text")[0]).toMatch(/a Slack webhook URL/);
    expect(issues.filter((i) => i.path.startsWith("steps.5") || i.path.startsWith("steps.6"))).toEqual([]);
  });

  it("warn when a command prints one of its secret variables (its value is redacted, but it should not be printed)", () => {
    const command = (key: string, argv: string[], secretEnv: Record<string, string> = { TOKEN: "FLAGS_TOKEN" }) => ({
      key,
      name: key,
      executor: "COMMAND",
      config: { argv, secretEnv },
    });
    const { issues, steps } = checkRunbook(
      "CUSTOM",
      [
        command("a", ["bash", "-c", "echo deploying with $TOKEN"]),
        command("b", ["env"]),
        command("c", ["/usr/bin/printenv", "HOME", "TOKEN"]),
        command("d", ["sh", "-eu", "-c", "deploy --quiet; env | sort"]),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script, not a template
        command("e", ["bash", "-c", 'printf "%s" "${TOKEN}" > /dev/null']),
        command("f", ["deploy", "--with-token-from-env"]),
        command("g", ["bash", "-c", 'curl -H "Authorization: $TOKEN" http://flags/api']),
        command("h", ["env"], {}),
        command("i", ["env", "LANG=C", "deploy"]),
      ],
      ENV,
    );
    expect(at(issues, "steps.0.config.argv.2")).toEqual([
      "This step prints a secret (echo prints TOKEN): the log shows [redacted] in its place, but a secret should only reach the program that needs it.",
    ]);
    expect(at(issues, "steps.1.config.argv.0")[0]).toMatch(/\(env prints every variable, TOKEN included\)/);
    expect(at(issues, "steps.2.config.argv.2")[0]).toMatch(/\(printenv TOKEN prints TOKEN\)/);
    expect(at(issues, "steps.3.config.argv.3")[0]).toMatch(/\(the script's env prints every variable, TOKEN included\)/);
    expect(at(issues, "steps.4.config.argv.2")[0]).toMatch(/\(printf prints TOKEN\)/);
    // Using a secret is not printing it; without secret variables there is nothing to print; env running a program prints nothing.
    expect(issues.filter((i) => /^steps\.[5-8]\./.test(i.path))).toEqual([]);
    // Warnings only: the runbook is saved.
    expect(errors(issues)).toEqual([]);
    expect(steps).not.toBeNull();
  });

  it("want a restore after a successful emergency backup of the same run", () => {
    const restoreFirst = restoreSteps();
    [restoreFirst[3], restoreFirst[4]] = [restoreFirst[4], restoreFirst[3]];
    const { issues } = checkRunbook("DATABASE_RESTORE", restoreFirst, ENV);
    expect(at(issues, "steps.3.config.fromStep")).toEqual(["The emergency backup (step 5) must come before the restore (step 4)."]);
    expect(at(issues, "steps.3.key")[0]).toMatch(
      /“Take the emergency backup” comes before “Restore the database”: move this step after step 5/,
    );

    const noBackup = restoreSteps().filter((s) => s.key !== "emergency-backup");
    expect(at(checkRunbook("CUSTOM", noBackup, ENV).issues, "steps.3.config.fromStep")[0]).toMatch(
      /runs only after this run's emergency backup succeeded: add a PostgreSQL backup step with ID emergency-backup/,
    );
    expect(checkRunbook("DATABASE_RESTORE", restoreSteps(), ENV).issues).toEqual([]);
  });

  it("want the strategy's steps, kinds and flags, in its order; a custom runbook is any list", () => {
    const steps = restoreSteps();
    const missing = checkRunbook(
      "DATABASE_RESTORE",
      steps.filter((s) => s.key !== "verify-integrity"),
      ENV,
    );
    expect(at(missing.issues, "steps")).toEqual([
      "A database-restore runbook needs the step “Verify data integrity” (ID verify-integrity, postgresql integrity).",
    ]);
    const notDestructive = steps.map((s) =>
      s.key === "stop-instances" ? { ...s, destructive: false, config: { argv: ["/opt/app/halt-all"] } } : s,
    );
    expect(at(checkRunbook("DATABASE_RESTORE", notDestructive, ENV).issues, "steps.2.destructive")[0]).toMatch(
      /^As “Stop application instances” of a database-restore runbook, this step is destructive/,
    );
    const flagsByCommand = [
      { key: "flags-off", name: "Flags off", executor: "COMMAND", changesTraffic: true, config: { argv: ["flagctl", "off"] } },
      { key: "verify-metrics", name: "Verify", executor: "VERIFY_METRICS", config: {} },
    ];
    expect(at(checkRunbook("FEATURE_FLAG", flagsByCommand, ENV).issues, "steps.0.executor")).toEqual([
      "As “Turn the release's feature flags off” of a feature-flag runbook, this step must be a feature flag off (unleash) or http request step.",
    ]);
    expect(checkRunbook("CUSTOM", [...flagsByCommand].reverse(), ENV).issues).toEqual([]);
    expect(
      strategyRoles("BLUE_GREEN")
        .filter((r) => !r.required)
        .map((r) => r.key),
    ).toEqual(["write-report", "notify"]);
  });

  it("name the step in a summary line", () => {
    const issue = { path: "steps.1.config.url", severity: "error" as const, message: "must be an absolute http:// or https:// URL" };
    expect(describeIssue(issue, [{}, { name: "Switch" }])).toBe(
      "Step 2 “Switch” (config.url): must be an absolute http:// or https:// URL",
    );
  });
});
