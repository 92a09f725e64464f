# Layerboard's own image: the web process (`node start-web.mjs`: migrations, seed, Next.js) and,
# from the same image, a build worker (`node worker.mjs`). See "Running with compose" in README.md.
#
#   docker build -t layerboard .                                                  # on node:24 (a registry)
#   docker build --build-arg BASE_IMAGE=layerboard/bookworm-base:local -t layerboard .   # no registry
#
# BASE_IMAGE is any Debian bookworm image, with or without Node: the Node that runs Layerboard is
# always the pinned `node` npm package's binary (package.json), copied out of the build stage.
ARG BASE_IMAGE=node:24-bookworm-slim

# ---- build: dependencies, the standalone Next.js build, the bundled commands ----
FROM ${BASE_IMAGE} AS build
# A base without npm (the debootstrap base) gets curl from Debian, then the pinned Node
# (package.json's `node`: the node-linux-<arch> package) and npm's own tarball from the registry;
# they only run `npm install`, under the Node the lock file was made with (optional platform
# packages such as Tailwind's need Node 20 or newer, so Debian's nodejs 18 would not do).
# EXTRA_CA_CERT: PEM certificates to trust as well, for a registry behind a TLS-inspecting proxy
# (public data; this stage only, never in the final image).
ARG EXTRA_CA_CERT=""
ARG NPM_REGISTRY=https://registry.npmjs.org
ARG BOOTSTRAP_NPM_VERSION=11.19.1
RUN if ! command -v npm >/dev/null; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates \
      && apt-get clean && rm -rf /var/lib/apt/lists/*; \
    fi \
    && if [ -n "$EXTRA_CA_CERT" ]; then \
      mkdir -p /usr/local/share/ca-certificates /etc/ssl/certs && printf '%s\n' "$EXTRA_CA_CERT" > /usr/local/share/ca-certificates/extra-ca.crt \
      && cat /usr/local/share/ca-certificates/extra-ca.crt >> /etc/ssl/certs/ca-certificates.crt; \
    fi
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 \
    DATABASE_URL=postgresql://generate-only@localhost/none
# The manifests (and what postinstall's `prisma generate` reads) before the sources: a source
# change reuses the installed dependencies. `npm install`, not `npm ci`: see .ci/run.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN if ! command -v npm >/dev/null; then \
      node_version=$(sed -n 's/^ *"node": *"\([0-9][0-9.]*\)".*/\1/p' package.json | head -n1) \
      && case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac \
      && mkdir -p /opt/bootstrap/node /opt/bootstrap/npm \
      && curl -fsSL "$NPM_REGISTRY/node-linux-$arch/-/node-linux-$arch-$node_version.tgz" | tar -xz -C /opt/bootstrap/node --strip-components=1 \
      && curl -fsSL "$NPM_REGISTRY/npm/-/npm-$BOOTSTRAP_NPM_VERSION.tgz" | tar -xz -C /opt/bootstrap/npm --strip-components=1 \
      && ln -s /opt/bootstrap/node/bin/node /usr/local/bin/node \
      && ln -s /opt/bootstrap/npm/bin/npm-cli.js /usr/local/bin/npm; \
    fi
RUN if [ -n "$EXTRA_CA_CERT" ]; then export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt npm_config_cafile=/etc/ssl/certs/ca-certificates.crt; fi \
    && npm install --no-audit --no-fund --loglevel=error \
    && rm -rf /root/.npm
COPY . .
# From here on the pinned Node 24 runs everything (npm puts node_modules/.bin first).
ENV PATH=/src/node_modules/.bin:$PATH
RUN LAYERBOARD_STANDALONE=1 next build \
    && node scripts/container/bundle.mjs /out \
    && node scripts/container/copy-package-closure.mjs /out prisma @prisma/adapter-pg pg \
    && cp -r .next/standalone/. /out/ \
    && cp -r .next/static /out/.next/static \
    && cp -r public prisma prisma.config.ts examples /out/ \
    && rm -rf /out/node_modules/prisma/build/query_*_bg.* /out/node_modules/prisma/build/public \
    && mkdir -p /out/node_modules/.bin && ln -sf ../prisma/build/index.js /out/node_modules/.bin/prisma \
    && mkdir -p /node && cp "$(readlink -f node_modules/node/bin/node)" /node/node
# What the standalone trace copies but Layerboard never loads: Prisma's runtimes for the other
# databases (about 45 MB) and sharp (next/image's optimiser; the app has no next/image).
RUN find /out/node_modules/@prisma/client/runtime -regextype posix-extended -regex '.*\.(cockroachdb|mysql|sqlite|sqlserver)\..*' -delete \
    && rm -rf /out/node_modules/sharp /out/node_modules/@img

# ---- runtime: Node, the standalone server, migrations; no compiler, no npm, no caches ----
FROM ${BASE_IMAGE}
# git: the worker clones git contexts; ca-certificates: for https remotes.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
    && (rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /opt/yarn* /usr/local/bin/yarn* || true) \
    && groupadd --system --gid 10001 layerboard \
    && useradd --system --uid 10001 --gid layerboard --home-dir /app --no-create-home --shell /usr/sbin/nologin layerboard
COPY --from=build /node/node /usr/local/bin/node
WORKDIR /app
# Owned by root, read-only to the app's user.
COPY --from=build /out/ /app/
# Inside the container every address is the container's own: it is the boundary (publish the port
# on the host's loopback or behind TLS, see README.md).
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    LAYERBOARD_CONTEXT_ROOTS=/app/examples
USER layerboard:layerboard
EXPOSE 3000
# Healthy when the web process answers and reaches Postgres; the engine is the worker's (the web
# container has no engine socket). No curl in the image: Node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>r.json()).then(b=>process.exit(b.database&&b.database.ok?0:1),()=>process.exit(1))"]
CMD ["node", "start-web.mjs"]
