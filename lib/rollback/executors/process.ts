// Runs a program from an argv (never through a shell) in its own process group, hands every
// stdout/stderr line to a callback as it arrives, and on timeout or abort ends the whole group:
// SIGTERM, then SIGKILL if anything of the group is still alive 2 s later.
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

export type ProcessOptions = {
  argv: readonly string[];
  cwd?: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  onLine: (stream: "STDOUT" | "STDERR", line: string) => void;
};

export type ProcessOutcome = {
  pid: number | undefined;
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

export function runProcess(options: ProcessOptions): Promise<ProcessOutcome> {
  const started = performance.now();
  const tail: string[] = [];
  const onLine = (stream: "STDOUT" | "STDERR", line: string) => {
    tail.push(stream === "STDERR" ? `[stderr] ${line}` : line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine(stream, line);
  };
  const [file, ...args] = options.argv;
  const outcome = (o: Omit<ProcessOutcome, "tail" | "durationMs">): ProcessOutcome => ({
    ...o,
    tail,
    durationMs: Math.round(performance.now() - started),
  });

  if (options.signal.aborted) {
    return Promise.resolve(outcome({ pid: undefined, exitCode: null, exitSignal: null, timedOut: false, aborted: true, killed: false }));
  }

  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv, // (Next.js types make NODE_ENV required)
      detached: true,
      shell: false,
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
    const pid = child.pid;
    let timedOut = false;
    let aborted = false;
    let killed = false;
    let killing: Promise<void> | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;

    const out = splitLines(child.stdout, (l) => onLine("STDOUT", l));
    const err = splitLines(child.stderr, (l) => onLine("STDERR", l));

    const killGroup = () => {
      if (killing || pid === undefined) return;
      killing = (async () => {
        signalGroup(pid, "SIGTERM");
        const deadline = Date.now() + KILL_GRACE_MS;
        while (Date.now() < deadline) {
          if (exit && !(await groupAlive(pid))) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        if (!exit || (await groupAlive(pid))) {
          killed = true;
          signalGroup(pid, "SIGKILL");
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
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(
        outcome({
          pid,
          exitCode: exit?.code ?? null,
          exitSignal: exit?.signal ?? null,
          timedOut,
          aborted,
          killed,
          ...(spawnError ? { spawnError } : {}),
        }),
      );
    };

    child.once("error", (e: NodeJS.ErrnoException) => {
      // Only a failure to start reaches here for a child without IPC (kill errors are caught above).
      if (pid === undefined || !exit) void finish(`${e.code ?? "error"}: ${e.message}`);
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      // Output still buffered in the pipes arrives before "close"; a background child holding them
      // open must not keep the step running, so wait at most STDIO_GRACE_MS (unless we are killing).
      const grace = setTimeout(() => void finish(), STDIO_GRACE_MS);
      child.once("close", () => {
        clearTimeout(grace);
        void finish();
      });
    });
  });
}
