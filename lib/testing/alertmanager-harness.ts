// A real Alertmanager (Debian's prometheus-alertmanager) whose webhook receiver points at a URL the
// test gives, with the shortest grouping waits. start() resolves once /-/ready answers; stop() ends
// it and removes its temp dir.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, HOST } from "./prometheus-harness";

export function alertmanagerBinary(): string {
  const bin = process.env.ALERTMANAGER_BIN || "/usr/bin/prometheus-alertmanager";
  if (!existsSync(bin)) {
    throw new Error(
      `The alertmanager binary is missing (looked for ${bin}). Install it with: apt-get update && apt-get install -y prometheus-alertmanager`,
    );
  }
  return bin;
}

export class AlertmanagerServer {
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];
  private readonly killOnExit = () => this.child?.kill("SIGKILL");
  baseUrl = "";
  private dir = "";

  async start(webhook: { url: string; token: string }, readyTimeoutMs = 20_000): Promise<void> {
    this.dir = await mkdtemp(path.join(os.tmpdir(), "backout-alertmanager-"));
    const config = path.join(this.dir, "alertmanager.yml");
    await writeFile(
      config,
      [
        "route:",
        "  receiver: backout",
        "  group_by: [alertname, service]",
        "  group_wait: 0s",
        "  group_interval: 1s",
        "  repeat_interval: 1h",
        "receivers:",
        "  - name: backout",
        "    webhook_configs:",
        `      - url: ${JSON.stringify(webhook.url)}`,
        "        send_resolved: true",
        "        http_config:",
        "          authorization:",
        "            type: Bearer",
        `            credentials: ${JSON.stringify(webhook.token)}`,
        "",
      ].join("\n"),
    );
    const port = await freePort();
    this.baseUrl = `http://${HOST}:${port}`;
    const child = spawn(
      alertmanagerBinary(),
      [
        `--config.file=${config}`,
        `--storage.path=${path.join(this.dir, "data")}`,
        `--web.listen-address=${HOST}:${port}`,
        // A single instance: no gossip port to collide with another test's.
        "--cluster.listen-address=",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    process.once("exit", this.killOnExit);
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split("\n").filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 40));
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Alertmanager exited:\n${this.log()}`);
      if (
        await fetch(`${this.baseUrl}/-/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Alertmanager was not ready within ${readyTimeoutMs / 1000} s:\n${this.log()}`);
  }

  /** Posts alerts as Prometheus does (API v2). */
  async postAlerts(
    alerts: {
      labels: Record<string, string>;
      annotations?: Record<string, string>;
      startsAt?: string;
      endsAt?: string;
      generatorURL?: string;
    }[],
  ) {
    const res = await fetch(`${this.baseUrl}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alerts),
    });
    if (!res.ok) throw new Error(`Alertmanager refused the alerts: ${res.status} ${await res.text()}`);
  }

  log(): string {
    return this.output.join("\n");
  }

  async stop(): Promise<void> {
    const child = this.child;
    process.removeListener("exit", this.killOnExit);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
