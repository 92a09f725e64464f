// `npm test`: typecheck, then unit, integration (real Postgres + Docker engine) and
// end-to-end (real Chromium) suites, in that order; stops at the first failure.
import { spawnSync } from "node:child_process";
import path from "node:path";

const bin = (name: string) => path.resolve("node_modules", ".bin", name);
const steps: Array<[string, string, string[]]> = [
  ["typecheck", bin("tsc"), ["--noEmit", "-p", "."]],
  ["unit", bin("vitest"), ["run", "--project", "unit"]],
  ["integration", bin("vitest"), ["run", "--project", "integration"]],
  ["e2e", bin("vitest"), ["run", "--project", "e2e"]],
];

const only = process.argv.slice(2);
for (const [name, command, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`\n--- ${name} ---`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    console.error(`\n${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`--- ${name} passed in ${seconds} s ---`);
}
