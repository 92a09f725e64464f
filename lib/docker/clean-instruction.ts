// Turns an image history `created_by` string into the Dockerfile-like instruction a person reads.
import "server-only";
//
// Forms seen on engine 20.10 (fixtures in __fixtures__/history-*.json):
//   classic metadata   `/bin/sh -c #(nop)  ENV A=b`, `<SHELL> -c #(nop) WORKDIR /app`
//   classic COPY/ADD   `/bin/sh -c #(nop) COPY dir:<64 hex> in /app `,
//                      `... COPY --chown=1000:1000multi:<hex> in /opt/` (no space: a classic builder quirk)
//   classic RUN        `/bin/sh -c apt-get …`, `|2 A=1 B=2 /bin/sh -c …` (build args in scope, sorted),
//                      `|2 A=1 B=2 /bin/echo exec form` (exec form: no shell)
//   BuildKit           `RUN |1 A=1 /bin/sh -c … # buildkit`, `COPY /out /app # buildkit`, `WORKDIR /app`,
//                      `EXPOSE map[8080/tcp:{}]`, `HEALTHCHECK &{["CMD-SHELL" "true"] "0s" …}`
//   docker import      empty created_by, comment `Imported from -`

const KEYWORDS = new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
]);

// `<shell> [flags…] -c ` with any shell the SHELL instruction may have set (`/bin/bash -o pipefail -c`).
const SHELL_PREFIX = /^(?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh|mksh)(?:\s+(?!-c\s)\S+)*?\s+-c\s+/s;
const WINDOWS_SHELL_PREFIX = /^(?:cmd(?:\.exe)?\s+\/S\s+\/C|powershell(?:\.exe)?(?:\s+-\S+)*?\s+-Command)\s+/is;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*=/;

// Classic and BuildKit prefix RUN with the build args in scope: `|N K=V K=V <command>`. Values are
// not quoted, so a value with a space is ambiguous: a token that does not look like `NAME=` belongs
// to the previous value while more pairs are expected; the last value is taken as one token. With a
// shell form the shell prefix ends the args unambiguously, so that is tried first.
const stripBuildArgs = (text: string): string => {
  const match = /^\|(\d+)\s+/.exec(text);
  if (!match) return text;
  const count = Number(match[1]);
  const rest = text.slice(match[0].length);
  if (count === 0) return rest;

  const shellAt = rest.search(/(?:^|\s)(?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh|mksh)(?:\s+(?!-c\s)\S+)*?\s+-c\s/);
  if (shellAt >= 0) {
    const before = rest.slice(0, shellAt);
    // Only trust the shell position when what precedes it starts with the expected pairs.
    const pairs = before.trim().split(/\s+/).filter((token) => ARG_NAME.test(token)).length;
    if (pairs === count) return rest.slice(shellAt).trimStart();
  }

  const tokens = rest.split(" ");
  let seen = 0;
  let index = 0;
  while (index < tokens.length && seen < count) {
    if (!ARG_NAME.test(tokens[index])) break;
    seen += 1;
    index += 1;
    if (seen < count) {
      while (index < tokens.length && !ARG_NAME.test(tokens[index])) index += 1;
    }
  }
  return tokens.slice(index).join(" ");
};

const stripShell = (text: string): string =>
  text.replace(SHELL_PREFIX, "").replace(WINDOWS_SHELL_PREFIX, "");

const goQuoted = (text: string): string[] =>
  [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, "$1"));

// Metadata instructions are printed by the engine from Go structs; make the common ones read like a Dockerfile.
const tidyMetadata = (text: string): string => {
  let out = text.trim();
  out = out.replace(/^EXPOSE map\[(.*)\]$/s, (_, ports: string) =>
    `EXPOSE ${ports.replace(/:\{\}/g, "").trim()}`.trimEnd(),
  );
  const health = /^HEALTHCHECK &\{\[(.*?)\]/s.exec(out);
  if (health) {
    const [kind, ...args] = goQuoted(health[1]);
    if (kind === "NONE") out = "HEALTHCHECK NONE";
    else if (kind === "CMD-SHELL") out = `HEALTHCHECK CMD ${args.join(" ")}`;
    else if (kind === "CMD") out = `HEALTHCHECK CMD ${JSON.stringify(args)}`;
  }
  // Classic builder glues `--chown=u:g` to the source kind; separate them.
  out = out.replace(/(--chown=\S*?)((?:dir|file|multi):[0-9a-f]{64})/g, "$1 $2");
  // Content hashes of the copied sources: 12 hex digits are enough to tell them apart on screen.
  out = out.replace(/\b(dir|file|multi):([0-9a-f]{12})[0-9a-f]{52}\b/g, "$1:$2");
  return out;
};

/** What a `docker import`ed base layer reads as (its history says only "Imported from -"). */
export const IMPORTED_BASE_LAYER = "base image (imported)";

export const cleanInstruction = (createdBy: string, comment?: string | null): string => {
  let text = (createdBy ?? "").trim();
  if (!text) return /^Imported from /.test((comment ?? "").trim()) ? IMPORTED_BASE_LAYER : (comment ?? "").trim();

  text = text.replace(/\s+# buildkit$/, "");

  // Classic builder metadata and COPY/ADD: `<shell> -c #(nop) INSTRUCTION …`.
  const nop = /^[^#]*?\s-c\s+#\(nop\)\s*(.*)$/s.exec(text);
  if (nop) return tidyMetadata(nop[1]);

  const keyword = /^([A-Z]+)(?:\s|$)/.exec(text)?.[1];
  if (keyword && KEYWORDS.has(keyword)) {
    if (keyword !== "RUN") return tidyMetadata(text);
    text = text.slice(3).trimStart();
  }

  // Everything else is a RUN (classic builder writes the bare command line).
  const command = stripShell(stripBuildArgs(text)).trim();
  return `RUN ${command}`.trimEnd();
};
