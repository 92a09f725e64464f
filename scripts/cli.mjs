#!/usr/bin/env node
// layerboard: the CI entry point. Queues a build or a comparison through the HTTP API,
// optionally waits for it, prints the Markdown report on stdout (progress on stderr) and
// exits 0 ok, 1 failed / does not run / over budget (with --fail-on-budget), 2 usage or
// connection error. `layerboard diff A B` prints the content diff of two builds (exit 3 while
// an analysis is not finished). Plain Node (≥ 22), no dependencies, so CI can run it from a checkout.
import { parseArgs } from "node:util";
import { packContext } from "./cli-context.mjs";

const USAGE = `Usage:
  layerboard build   --project <id|slug> --variant <name|id> [--context <dir> | --ref <ref>] [options]
  layerboard compare --project <id|slug> [--ref <ref>] [options]
  layerboard compare --project <id|slug> --base <ref> --head <ref> [options]
  layerboard diff    BUILD_A BUILD_B [--json] [--depth <n>] [--top <n>]

Queues a build of one variant, or a comparison of every variant of the project, and
prints the Markdown report (ready for a pull-request comment) on stdout.
With --base and --head (a git project), compare builds every variant at both refs,
reusing builds of the same commit, waits, and prints the pull-request report: per
variant base → head size, delta, runs, budget verdict and the largest layer differences.
diff prints what BUILD_B's image contains that BUILD_A's does not and the reverse,
grouped by top directories and by package, largest first (B − A); --json prints the
API's JSON instead (GET /api/builds/A/content/diff/B). A viewer token is enough.

Options:
  --context <dir>      build: upload this directory (e.g. the CI checkout, ".") as the build
                       context instead of the project's own, without what its .dockerignore
                       excludes; needs an admin token (uploads are admin-only) and stays under
                       the server's LAYERBOARD_MAX_UPLOAD_BYTES
  --ref <ref>          build, compare: a git project's branch, tag or commit to build (e.g.
                       "$GITHUB_SHA", the commit CI checked out) instead of the project's ref
  --wait               wait until the build(s) finish, printing progress on stderr
  --fail-on-budget     exit 1 when a size budget or regression threshold is exceeded
  --timeout <seconds>  give up waiting after this long (default 3600); exit 2
  --base <ref>         compare: the pull request's base (branch, tag or commit)
  --head <ref>         compare: the pull request's head (branch, tag or commit)
  --depth <n>          diff: group paths by their directory this many levels deep (default 2)
  --top <n>            diff: paths shown per directory (default 10)
  --json               diff: print JSON
  --url <url>          Layerboard URL (default $LAYERBOARD_URL or http://localhost:3000)
  --token <token>      API token, builder role (default $LAYERBOARD_TOKEN)
  -h, --help           show this help

Exit codes:
  0  queued (without --wait), or finished: every image built and runs
     (and is within budget, with --fail-on-budget)
  1  a build failed, was cancelled or interrupted, an image does not run, or
     (with --fail-on-budget) a budget was exceeded; with --base/--head: the head
     is over a size budget, grew past a variant's regression threshold, or
     runs (or builds) on base but not on head
  2  usage error, unknown project, variant or build, a build without a content
     analysis, auth or connection error, timeout
  3  diff: a content analysis is still running or failed (try again later)`;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_NOT_READY = 3;
const POLL_MS = 2000;
const FINISHED = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"]);

class CliError extends Error {}

const log = (message) => process.stderr.write(`${message}\n`);

const parseCli = (argv) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      project: { type: "string" },
      variant: { type: "string" },
      base: { type: "string" },
      head: { type: "string" },
      context: { type: "string" },
      ref: { type: "string" },
      wait: { type: "boolean", default: false },
      "fail-on-budget": { type: "boolean", default: false },
      timeout: { type: "string" },
      depth: { type: "string" },
      top: { type: "string" },
      json: { type: "boolean", default: false },
      url: { type: "string" },
      token: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  return { values, positionals };
};

const createClient = ({ url, token }) => {
  const request = async (method, path, body) => {
    let response;
    try {
      response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new CliError(`cannot reach Layerboard at ${url}: ${error?.cause?.message ?? error?.message ?? error}`);
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 300);
      try {
        message = JSON.parse(text).error?.message ?? message;
      } catch {
        // not JSON: keep the raw text
      }
      const error = new CliError(`${method} ${path}: HTTP ${response.status}: ${message}`);
      error.status = response.status;
      throw error;
    }
    return text;
  };
  return {
    getJson: async (path) => JSON.parse(await request("GET", path)),
    postJson: async (path, body) => JSON.parse(await request("POST", path, body)),
    getText: (path) => request("GET", path),
    // multipart upload of a context archive
    postForm: async (path, form) => {
      let response;
      try {
        response = await fetch(`${url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
          body: form,
          signal: AbortSignal.timeout(600_000),
        });
      } catch (error) {
        throw new CliError(`cannot reach Layerboard at ${url}: ${error?.cause?.message ?? error?.message ?? error}`);
      }
      const text = await response.text();
      if (!response.ok) {
        let message = text.slice(0, 300);
        try {
          message = JSON.parse(text).error?.message ?? message;
        } catch {
          // not JSON
        }
        throw new CliError(`POST ${path}: HTTP ${response.status}: ${message}`);
      }
      return JSON.parse(text);
    },
  };
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A restarting server or a proxy hiccup should not fail a long CI wait: retry reads a few times.
const pollUntil = async (read, isDone, onProgress, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  let failures = 0;
  for (;;) {
    let value;
    try {
      value = await read();
      failures = 0;
    } catch (error) {
      if (error.status && error.status < 500) throw error;
      failures += 1;
      if (failures >= 5) throw error;
      log(`  (retrying: ${error.message})`);
    }
    if (value !== undefined) {
      onProgress(value);
      if (isDone(value)) return value;
    }
    if (Date.now() > deadline) throw new CliError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for the build to finish`);
    await sleep(POLL_MS);
  }
};

const describeBuild = (build) => {
  const steps = build.stepsTotal ? ` ${build.stepsDone}/${build.stepsTotal} steps` : "";
  return `${build.variantName}: ${build.status.toLowerCase()}${build.status === "RUNNING" ? steps : ""}`;
};

const resolveVariant = (project, name) => {
  const variant = project.variants.find((v) => v.name === name) ?? project.variants.find((v) => v.id === name);
  if (!variant)
    throw new CliError(`project ${project.slug} has no variant "${name}" (variants: ${project.variants.map((v) => JSON.stringify(v.name)).join(", ") || "none"})`);
  return variant;
};

// Packs the directory (honouring .dockerignore) and uploads it; returns the archive id.
const uploadContext = async (client, dir) => {
  let packed;
  try {
    packed = await packContext(dir, { onProgress: ({ files, bytes }) => log(`  packing: ${files} files, ${formatBytes(bytes)}`) });
  } catch (error) {
    throw new CliError(`cannot pack ${dir}: ${error.message}`);
  }
  log(`packed ${dir}: ${packed.files} files (${formatBytes(packed.bytes)}, ${packed.skipped} excluded by .dockerignore), uploading ${formatBytes(packed.archive.length)}…`);
  const form = new FormData();
  form.set("archive", new Blob([packed.archive], { type: "application/gzip" }), "context.tar.gz");
  const { archive } = await client.postForm("/api/context-archives", form);
  log(`uploaded context ${archive.id} (sha256 ${archive.sha256.slice(0, 12)})`);
  return archive.id;
};

const runBuild = async (client, options) => {
  const { project } = await client.getJson(`/api/projects/${encodeURIComponent(options.project)}`);
  const variant = resolveVariant(project, options.variant);
  const archiveId = options.context ? await uploadContext(client, options.context) : undefined;
  const { build } = await client.postJson("/api/builds", { variantId: variant.id, ...(archiveId ? { archiveId } : {}), ...(options.ref ? { ref: options.ref } : {}) });
  log(`queued build ${build.id} of ${project.name} / ${variant.name}: ${options.url}/builds/${build.id}`);
  if (options.wait) {
    let last = "";
    await pollUntil(
      async () => (await client.getJson(`/api/builds/${build.id}`)).build,
      (current) => FINISHED.has(current.status),
      (current) => {
        const line = describeBuild(current);
        if (line !== last) log(`  ${line}`);
        last = line;
      },
      options.timeoutMs,
    );
  }
  return `/api/builds/${build.id}`;
};

const runCompare = async (client, options) => {
  const { comparison } = await client.postJson(`/api/projects/${encodeURIComponent(options.project)}/comparisons`, options.ref ? { ref: options.ref } : {});
  log(`queued comparison ${comparison.id} of ${comparison.projectName} (${comparison.builds.length} variants): ${options.url}/compare?comparison=${comparison.id}`);
  if (options.wait) {
    const seen = new Map();
    await pollUntil(
      async () => (await client.getJson(`/api/comparisons/${comparison.id}`)).comparison,
      (current) => current.builds.length > 0 && current.builds.every((b) => FINISHED.has(b.status)),
      (current) => {
        for (const build of current.builds) {
          const line = describeBuild(build);
          if (seen.get(build.id) !== line) log(`  ${line}`);
          seen.set(build.id, line);
        }
      },
      options.timeoutMs,
    );
  }
  return `/api/comparisons/${comparison.id}`;
};

// Pull-request mode: queue (or reuse) both sides once, then read the report until it is done.
const runPullRequest = async (client, options) => {
  const project = encodeURIComponent(options.project);
  const { pullRequest } = await client.postJson(`/api/projects/${project}/pull-request-report`, { base: options.base, head: options.head });
  const { base, head } = pullRequest.report;
  log(`base ${base.ref} = ${base.sha.slice(0, 12)}, head ${head.ref} = ${head.sha.slice(0, 12)}: ${pullRequest.queued} build(s) queued, ${pullRequest.reused} reused`);
  const query = new URLSearchParams({ base: base.sha, head: head.sha, baseRef: base.ref, headRef: head.ref });
  const seen = new Map();
  const done = await pollUntil(
    async () => (await client.getJson(`/api/projects/${project}/pull-request-report?${query}`)).pullRequest,
    (current) => current.report.done,
    (current) => {
      for (const row of current.report.rows) {
        const line = `${row.variant}: base ${row.base?.status.toLowerCase() ?? "not built"}, head ${row.head?.status.toLowerCase() ?? "not built"}`;
        if (seen.get(row.variantId) !== line) log(`  ${line}`);
        seen.set(row.variantId, line);
      }
    },
    options.timeoutMs,
  );
  process.stdout.write(done.markdown);
  for (const row of done.report.rows) for (const problem of row.problems) log(`  ${row.variant}: ${problem}`);
  if (done.report.failed) {
    log("layerboard: failed: the head brings a budget breach or a regression");
    return EXIT_FAILED;
  }
  log("layerboard: ok");
  return EXIT_OK;
};

const UNITS = ["B", "kB", "MB", "GB", "TB"];
const formatBytes = (bytes) => {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
};
const formatDelta = (bytes) => `${bytes > 0 ? "+" : bytes < 0 ? "-" : "±"}${formatBytes(bytes)}`;
const pad = (text, width) => (text.length >= width ? text : text + " ".repeat(width - text.length));
const padLeft = (text, width) => (text.length >= width ? text : " ".repeat(width - text.length) + text);

// The diff as plain text, one section per grouping, largest first.
const formatDiff = (a, b, diff) => {
  const t = diff.totals;
  const lines = [
    `Content diff: ${b} against ${a} (B − A)`,
    `  files  ${t.filesA} → ${t.filesB}   file bytes ${formatBytes(t.bytesA)} → ${formatBytes(t.bytesB)} (${formatDelta(t.delta)})`,
    `  added ${t.added} (${formatBytes(t.addedBytes)}), removed ${t.removed} (${formatBytes(t.removedBytes)}), resized ${t.resized}, changed ${t.changed}`,
    `  packages: ${t.packagesAdded} added, ${t.packagesRemoved} removed, ${t.packagesChanged} changed`,
  ];
  if (!diff.byDirectory.length && !diff.packages.length) return [...lines, "", "The two images hold the same files."].join("\n");
  lines.push("", `By directory (depth ${diff.groupDepth}):`);
  for (const group of diff.byDirectory) {
    lines.push(`  ${padLeft(formatDelta(group.delta), 11)}  ${pad(group.key, 40)} +${group.added} -${group.removed} ~${group.resized + group.changed}`);
    for (const change of group.top) lines.push(`      ${padLeft(formatDelta(change.delta), 11)}  ${pad(change.change, 8)} ${change.path}`);
    if (group.more) lines.push(`      …and ${group.more} more`);
  }
  if (diff.byDirectoryMore) lines.push(`  …and ${diff.byDirectoryMore} more directories`);
  if (diff.directories.length) {
    lines.push("", "Whole directories only one image has:");
    for (const d of diff.directories) lines.push(`  ${padLeft(formatBytes(d.bytes), 10)}  ${d.change === "added" ? "only in B" : "only in A"}  ${d.path}/ (${d.files} files)`);
    if (diff.directoriesMore) lines.push(`  …and ${diff.directoriesMore} more`);
  }
  if (diff.packages.length) {
    lines.push("", "Packages:");
    for (const p of diff.packages) {
      const versions = p.change === "version" ? ` ${p.versionA} → ${p.versionB}` : "";
      lines.push(`  ${padLeft(formatDelta(p.delta), 11)}  ${pad(p.change, 8)} ${p.ecosystem}:${p.name}${versions}`);
    }
    if (diff.packagesMore) lines.push(`  …and ${diff.packagesMore} more packages`);
  }
  return lines.join("\n");
};

const isBuildId = (value) => /^[a-zA-Z0-9_-]{1,64}$/.test(value);

const runDiff = async (client, [a, b], options) => {
  const query = new URLSearchParams();
  if (options.depth !== undefined) query.set("depth", options.depth);
  if (options.top !== undefined) query.set("top", options.top);
  const suffix = query.size ? `?${query}` : "";
  try {
    const body = await client.getJson(`/api/builds/${a}/content/diff/${b}${suffix}`);
    process.stdout.write(options.json ? `${JSON.stringify(body, null, 2)}\n` : `${formatDiff(a, b, body.diff)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliError && error.status === 409) {
      log(`layerboard: ${error.message}`);
      return EXIT_NOT_READY;
    }
    throw error;
  }
};

const main = async (argv) => {
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    log(`layerboard: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const [command, ...extra] = positionals;
  const usageError = (message) => {
    log(`layerboard: ${message}\n\n${USAGE}`);
    return EXIT_USAGE;
  };
  if (command !== "build" && command !== "compare" && command !== "diff") return usageError(command ? `unknown command "${command}"` : "missing command");
  if (command === "diff") {
    if (extra.length !== 2) return usageError(`diff takes two build ids (BUILD_A BUILD_B), got ${extra.length}`);
    const bad = extra.find((id) => !isBuildId(id));
    if (bad !== undefined) return usageError(`"${bad}" is not a build id`);
    if (values.project || values.variant || values.wait) return usageError("diff takes no --project, --variant or --wait");
    for (const name of ["depth", "top"]) {
      if (values[name] !== undefined && !/^[1-9][0-9]*$/.test(values[name])) return usageError(`--${name} is a positive whole number`);
    }
  } else if (extra.length) return usageError(`unexpected argument "${extra[0]}"`);
  else if (values.json || values.depth !== undefined || values.top !== undefined) return usageError("--json, --depth and --top are for diff");
  if (command !== "diff" && !values.project) return usageError("--project is required");
  if (command === "build" && !values.variant) return usageError("--variant is required for build");
  if (command !== "build" && values.context) return usageError("--context is for build");
  if (values.ref !== undefined && (values.context || values.base !== undefined || command === "diff"))
    return usageError("--ref is for build or compare, without --context, --base or --head");
  if (command === "compare" && values.variant) return usageError("--variant is not used by compare (it builds every variant)");
  if ((values.base === undefined) !== (values.head === undefined)) return usageError("--base and --head go together");
  if (values.base !== undefined && command !== "compare") return usageError("--base and --head are for compare");
  const url = (values.url ?? process.env.LAYERBOARD_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(url)) return usageError(`--url must be an http(s) URL, got "${url}"`);
  const token = values.token ?? process.env.LAYERBOARD_TOKEN;
  if (!token) return usageError("an API token is required: --token or LAYERBOARD_TOKEN (create one in Settings or with `npm run token`)");
  const timeoutSeconds = values.timeout === undefined ? 3600 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) return usageError("--timeout is a number of seconds");

  const options = { ...values, url, timeoutMs: timeoutSeconds * 1000 };
  const client = createClient({ url, token });
  try {
    if (command === "diff") return await runDiff(client, extra, options);
    if (options.base !== undefined) return await runPullRequest(client, options);
    const resource = command === "build" ? await runBuild(client, options) : await runCompare(client, options);
    process.stdout.write(await client.getText(`${resource}/report?format=md`));
    if (!options.wait) return EXIT_OK;
    const { verdict } = await client.getJson(`${resource}/verdict`);
    for (const message of verdict.messages) log(`  ${message}`);
    if (!verdict.healthy) {
      log("layerboard: failed: a build did not succeed or its image does not run");
      return EXIT_FAILED;
    }
    if (!verdict.budgetPassed) {
      if (options["fail-on-budget"]) {
        log("layerboard: failed: over budget (--fail-on-budget)");
        return EXIT_FAILED;
      }
      log("layerboard: over budget (not failing: pass --fail-on-budget to fail)");
    }
    log("layerboard: ok");
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliError) {
      log(`layerboard: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    log(`layerboard: unexpected error: ${error?.stack ?? error}`);
    process.exitCode = EXIT_USAGE;
  },
);
