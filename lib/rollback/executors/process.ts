// Runs a program from an argv (never through a shell) in its own process group, hands every
// stdout/stderr line to a callback as it arrives, and on timeout or abort ends the whole group:
// SIGTERM, then SIGKILL if anything of the group is still alive 2 s later.
// The group cannot outlive the server: its leader is a small supervisor (SUPERVISOR below) holding
// an IPC channel to the server; when the server dies, however it dies, the kernel closes the
// channel and the supervisor ends the group. A SIGKILLed server would otherwise leave a quiet
// command (`sleep`, `kubectl wait`) running under PID 1, and a retry would start a second copy.
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

export const KILL_GRACE_MS = 2000;
/** After the program exits, how long its output pipes may stay open (held by a background child). */
export const STDIO_GRACE_MS = 1000;
/** A "line" longer than this without a newline is passed on in pieces. */
const MAX_LINE_CHARS = 64 * 1024;
export const TAIL_LINES = 50;
/** The supervisor's first argument: how recovery recognises a group we started. */
const SUPERVISOR_MARK = "backout-step-supervisor";

/** The process a step started: the program's pid and its group (the supervisor's pid). */
export type StartedProcess = { pid: number; pgid: number };

/** How the caller keeps track of the process (the worker records it on the step's execution). */
export type ProcessTracking = {
  /** Written into the supervisor's command line, so recovery can tell our group from a reused pid. */
  tag: string;
  /** Called once the program runs. */
  onStart: (p: StartedProcess) => void;
};

export type ProcessOptions = {
  argv: readonly string[];
  track?: ProcessTracking;
  cwd?: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  onLine: (stream: "STDOUT" | "STDERR", line: string) => void;
};

export type ProcessOutcome = {
  /** The program's pid (undefined if it never started). */
  pid: number | undefined;
  /** Its process group. */
  pgid: number | undefined;
  exitCode: number | null;
  /** The signal that ended the program, if any. */
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** The program could not be started (not found, not executable, bad cwd). */
  spawnError?: string;
  /** The group needed SIGKILL after the grace period. */
  killed: boolean;
  /** The last TAIL_LINES lines of both streams, in arrival order, prefixed by the stream for stderr. */
  tail: string[];
  durationMs: number;
};

/**
 * Does any live (non-zombie) process remain in the group? Killed orphans are reparented to PID 1,
 * which may take a while to reap them, so kill(-pgid, 0) alone would see zombies as alive: on
 * Linux the group's members are read from /proc; elsewhere kill(-pgid, 0) answers.
 */
async function groupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp …: comm may contain spaces and parentheses, so parse after the last ")".
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z" && state !== "X") return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

/**
 * Recovery's side of the supervisor: makes sure the process group a step started (its supervisor
 * tagged `tag`) is gone, ending it with SIGTERM then SIGKILL if it still runs. A group whose leader
 * is alive but is not our tagged supervisor is someone else's (the pid was reused after ours ended):
 * it is left alone. A group without its leader is still ours, because Linux never hands out a pid
 * equal to the id of a group that still has members.
 */
export async function endProcessGroup(pgid: number, tag: string): Promise<"was-gone" | "ended" | "still-running"> {
  if (!(await groupAlive(pgid))) return "was-gone";
  try {
    const cmdline = (await readFile(`/proc/${pgid}/cmdline`, "utf8")).split("\0");
    if (!cmdline.includes(SUPERVISOR_MARK) || !cmdline.includes(tag)) return "was-gone";
  } catch {
    // The leader is gone (or there is no /proc): the group, still alive, is the one we started.
  }
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + KILL_GRACE_MS;
  while (Date.now() < deadline) {
    if (!(await groupAlive(pgid))) return "ended";
    await new Promise((r) => setTimeout(r, 50));
  }
  signalGroup(pgid, "SIGKILL");
  for (let i = 0; i < 20; i++) {
    if (!(await groupAlive(pgid))) return "ended";
    await new Promise((r) => setTimeout(r, 50));
  }
  return "still-running";
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function splitLines(stream: Readable, emit: (line: string) => void): { end(): void } {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const push = (text: string) => {
    pending += text;
    let nl = pending.indexOf("\n");
    while (nl !== -1) {
      emit(pending.slice(0, nl).replace(/\r$/, ""));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
    while (pending.length > MAX_LINE_CHARS) {
      emit(pending.slice(0, MAX_LINE_CHARS));
      pending = pending.slice(MAX_LINE_CHARS);
    }
  };
  stream.on("data", (chunk: Buffer) => push(decoder.write(chunk)));
  let ended = false;
  return {
    end() {
      if (ended) return;
      ended = true;
      push(decoder.end());
      if (pending.length > 0) emit(pending.replace(/\r$/, ""));
      pending = "";
    },
  };
}

/**
 * The supervisor, run as `node -e SUPERVISOR backout-step-supervisor <tag>` in a process group of
 * its own. It gets {argv, cwd, env, graceMs} over IPC, starts the program in its group with the
 * server's stdout/stderr pipes (so output reaches the server directly), reports {pid} or
 * {spawnError}, and exits as the program exits (same code, or killed by the same signal). When the
 * IPC channel closes before that — the server died — it sends SIGTERM to the group and SIGKILL once
 * the program has exited or the grace period has passed. It ignores the SIGTERM that the server
 * sends the group on timeout or abort: the program's own exit then tells how it ended.
 */
const SUPERVISOR = `
const { spawn } = require("node:child_process");
let program = null;
let exited = false;
let ending = false;
let graceMs = ${KILL_GRACE_MS};
for (const s of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(s, () => {});
const killGroup = () => { try { process.kill(-process.pid, "SIGKILL"); } catch {} process.exit(137); };
process.on("disconnect", () => {
  if (ending) return;
  ending = true;
  try { process.kill(-process.pid, "SIGTERM"); } catch {}
  if (!program || exited) killGroup();
  setTimeout(killGroup, graceMs);
});
process.once("message", (m) => {
  graceMs = m.graceMs;
  program = spawn(m.argv[0], m.argv.slice(1), { cwd: m.cwd, env: m.env, stdio: ["ignore", "inherit", "inherit"], shell: false, windowsHide: true });
  program.once("spawn", () => { if (process.connected) process.send({ pid: program.pid }); });
  program.once("error", (e) => {
    if (exited) return;
    exited = true;
    const text = (e.code ?? "error") + ": " + e.message;
    if (process.connected) process.send({ spawnError: text }, () => process.exit(127));
    else process.exit(127);
  });
  program.once("exit", (code, signal) => {
    exited = true;
    if (ending) return killGroup();
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      setTimeout(() => process.exit(128), 1000);
    } else process.exit(code ?? 1);
  });
});
`;

export function runProcess(options: ProcessOptions): Promise<ProcessOutcome> {
  const started = performance.now();
  const tail: string[] = [];
  const onLine = (stream: "STDOUT" | "STDERR", line: string) => {
    tail.push(stream === "STDERR" ? `[stderr] ${line}` : line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine(stream, line);
  };
  const outcome = (o: Omit<ProcessOutcome, "tail" | "durationMs">): ProcessOutcome => ({
    ...o,
    tail,
    durationMs: Math.round(performance.now() - started),
  });

  if (options.signal.aborted) {
    return Promise.resolve(
      outcome({ pid: undefined, pgid: undefined, exitCode: null, exitSignal: null, timedOut: false, aborted: true, killed: false }),
    );
  }

  return new Promise((resolve) => {
    // The supervisor's own environment is empty (no NODE_OPTIONS of the server's reaches it); the
    // program gets options.env, sent over IPC.
    const child = spawn(process.execPath, ["-e", SUPERVISOR, SUPERVISOR_MARK, options.track?.tag ?? ""], {
      env: {} as NodeJS.ProcessEnv, // (Next.js types make NODE_ENV required)
      detached: true,
      shell: false,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      windowsHide: true,
    });
    const pgid = child.pid;
    // Both are pipes (stdio above); the types of a spawn with an IPC slot cannot say so.
    const stdout = child.stdout as Readable;
    const stderr = child.stderr as Readable;
    let pid: number | undefined;
    let programSpawnError: string | undefined;
    let timedOut = false;
    let aborted = false;
    let killed = false;
    let killing: Promise<void> | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;

    const out = splitLines(stdout, (l) => onLine("STDOUT", l));
    const err = splitLines(stderr, (l) => onLine("STDERR", l));
    child.on("message", (m: { pid?: number; spawnError?: string }) => {
      if (m.pid !== undefined && pgid !== undefined) {
        pid = m.pid;
        options.track?.onStart({ pid, pgid });
      }
      if (m.spawnError) programSpawnError = m.spawnError;
    });
    if (pgid !== undefined) {
      child.send({ argv: options.argv, cwd: options.cwd, env: options.env, graceMs: KILL_GRACE_MS }, (e) => {
        // The supervisor died before it read its orders: its exit says so.
        if (e) console.error("[process] could not reach the step supervisor:", e.message);
      });
    }

    const killGroup = () => {
      if (killing || pgid === undefined) return;
      killing = (async () => {
        signalGroup(pgid, "SIGTERM");
        const deadline = Date.now() + KILL_GRACE_MS;
        while (Date.now() < deadline) {
          if (exit && !(await groupAlive(pgid))) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        if (!exit || (await groupAlive(pgid))) {
          killed = true;
          signalGroup(pgid, "SIGKILL");
        }
      })();
    };

    const timer = setTimeout(() => {
      if (exit) return; // finished; only its output pipes are still draining
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => {
      if (exit) return;
      aborted = true;
      killGroup();
    };
    options.signal.addEventListener("abort", onAbort, { once: true });

    const finish = async (spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
      if (killing) await killing;
      out.end();
      err.end();
      stdout.destroy();
      stderr.destroy();
      if (child.connected) child.disconnect();
      const notStarted = spawnError ?? programSpawnError;
      resolve(
        outcome({
          pid,
          pgid,
          exitCode: exit?.code ?? null,
          exitSignal: exit?.signal ?? null,
          timedOut,
          aborted,
          killed,
          ...(notStarted ? { spawnError: notStarted } : {}),
        }),
      );
    };

    child.once("error", (e: NodeJS.ErrnoException) => {
      // Only a failure to start the supervisor reaches here (kill errors are caught above).
      if (pgid === undefined || !exit) void finish(`${e.code ?? "error"}: ${e.message}`);
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      // Output still buffered in the pipes (and the supervisor's last message) arrives before
      // "close"; a background child holding the pipes open must not keep the step running, so wait
      // at most STDIO_GRACE_MS (unless we are killing).
      const grace = setTimeout(() => void finish(), STDIO_GRACE_MS);
      child.once("close", () => {
        clearTimeout(grace);
        void finish();
      });
    });
  });
}
