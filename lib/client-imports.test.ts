// What a client component imports, followed through the project's own modules, must not reach a
// Node.js built-in or a server-only module: the bundler would ship a browser polyfill instead (a
// `node:crypto` reached from the proposal form once put ~400 KB of crypto-browserify into the
// incident page's first script, ~150 ms of every opening on these machines), or fail the build.
// Type-only imports are erased and do not count.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["app", "components", "lib"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** The specifiers of a module's value imports and re-exports (not `import type`, not `export type`). */
function valueImports(source: string): string[] {
  const specs: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;
  for (const m of source.matchAll(pattern)) {
    if (m[2]) continue; // import type … / export type …
    specs.push(m[3]);
  }
  return specs;
}

function resolveLocal(spec: string, from: string): string | null {
  const base = spec.startsWith("@/")
    ? path.join(ROOT, spec.slice(2))
    : spec.startsWith(".")
      ? path.resolve(path.dirname(from), spec)
      : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const isClient = (source: string) => /^\s*["']use client["']/.test(source);
const isServerOnlyModule = (source: string) => /^\s*import\s+["']server-only["']/m.test(source);
const isNodeBuiltin = (spec: string) => spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0]);

/** Every chain from a client component to a Node.js built-in or a server-only module. */
function forbiddenChains(): string[] {
  const files = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)));
  const read = new Map<string, string>();
  const text = (f: string) => {
    let s = read.get(f);
    if (s === undefined) {
      s = readFileSync(f, "utf8");
      read.set(f, s);
    }
    return s;
  };
  const problems: string[] = [];
  for (const entry of files.filter((f) => isClient(text(f)))) {
    const seen = new Set<string>([entry]);
    const queue: { file: string; chain: string[] }[] = [{ file: entry, chain: [path.relative(ROOT, entry)] }];
    while (queue.length > 0) {
      const { file, chain } = queue.shift() as { file: string; chain: string[] };
      for (const spec of valueImports(text(file))) {
        if (isNodeBuiltin(spec)) {
          problems.push(`${chain.join(" → ")} → ${spec}`);
          continue;
        }
        const next = resolveLocal(spec, file);
        if (!next || seen.has(next)) continue;
        seen.add(next);
        const source = text(next);
        // A server action module is called across the network from a client, not bundled into it.
        if (/^\s*["']use server["']/.test(source)) continue;
        if (isServerOnlyModule(source)) {
          problems.push(`${[...chain, path.relative(ROOT, next)].join(" → ")} (server-only)`);
          continue;
        }
        queue.push({ file: next, chain: [...chain, path.relative(ROOT, next)] });
      }
    }
  }
  return problems;
}

describe("client components' imports", () => {
  it("reads value imports and skips type-only ones", () => {
    const source = [
      'import { a } from "./a";',
      'import type { B } from "./b";',
      'import "./side-effect";',
      'export { c } from "@/lib/c";',
      'export type { D } from "./d";',
      "import {\n  e,\n  f,\n} from 'node:crypto';",
    ].join("\n");
    expect(valueImports(source)).toEqual(["./a", "./side-effect", "@/lib/c", "node:crypto"]);
  });

  it("reach no Node.js built-in and no server-only module", () => {
    expect(forbiddenChains()).toEqual([]);
  });
});
