// Decides whether a git repository URL is safe to hand to `git clone`: parsed, not pattern-matched.
// No "server-only": the project form's validation may use it too.

export type GitUrlCheck = { ok: true } | { ok: false; reason: string };

const ALLOWED_SCHEMES = new Set(["https:", "http:", "ssh:", "file:"]);
const HINT = "use an https://, http://, ssh://, user@host:path or file:// repository URL";

const decode = (part: string): string | null => {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
};

/** A part that git or ssh could read as an option once decoded ("-oProxyCommand=…"). */
const optionLike = (part: string): boolean => {
  const decoded = decode(part);
  return decoded === null || decoded.trimStart().startsWith("-");
};

const refuse = (reason: string): GitUrlCheck => ({ ok: false, reason });

/**
 * Checks a git URL: an https/http/ssh/file URL parsed with the WHATWG URL parser, or the
 * scp-like `user@host:path`. Refuses other transports (`ext::`, `fd::`, plain paths), control
 * characters, and any user, host or path that starts with "-" after percent-decoding, so that
 * neither git nor ssh can take a part of it for an option (`ssh://-oProxyCommand=…`).
 */
export const checkGitUrl = (raw: string): GitUrlCheck => {
  const url = raw ?? "";
  if (!url) return refuse(`a git context needs a repository URL (${HINT})`);
  if (/[\s\0-\x1f\x7f]/.test(url)) return refuse("the URL may not contain spaces or control characters");
  if (optionLike(url)) return refuse("the URL may not start with \"-\"");
  // git's "<transport>::<address>" syntax (ext:: runs a command, fd:: uses descriptors).
  if (/^[A-Za-z0-9+.-]*::/.test(url)) return refuse(`the "${url.split("::")[0]}::" transport is not allowed (${HINT})`);

  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refuse(`not a valid URL (${HINT})`);
    }
    if (!ALLOWED_SCHEMES.has(parsed.protocol)) return refuse(`the ${parsed.protocol.slice(0, -1)}:// scheme is not allowed (${HINT})`);
    const host = parsed.hostname.replace(/^\[|\]$/g, "");
    if (optionLike(parsed.username) || optionLike(parsed.password)) return refuse('the user name may not start with "-"');
    if (optionLike(host)) return refuse('the host may not start with "-"');
    const pathPart = parsed.pathname.replace(/^\/+/, "");
    if (optionLike(pathPart) || optionLike(parsed.pathname)) return refuse('the path may not start with "-"');
    if (parsed.protocol === "file:") {
      if (host && host !== "localhost") return refuse("a file:// URL may not name a host");
      if (!pathPart) return refuse("a file:// URL needs a path");
    } else if (!host) {
      return refuse(`the URL has no host (${HINT})`);
    }
    return { ok: true };
  }

  // scp-like: [user@]host:path, where the host has no slash and the path does not start with "//".
  const scp = /^(?:([^@/:]+)@)?([^@/:[\]]+|\[[^\]]+\]):(?!\/\/)(.+)$/.exec(url);
  if (scp) {
    const [, user = "", host, pathPart] = scp;
    if (optionLike(user)) return refuse('the user name may not start with "-"');
    if (optionLike(host.replace(/^\[|\]$/g, ""))) return refuse('the host may not start with "-"');
    if (optionLike(pathPart.replace(/^\/+/, ""))) return refuse('the path may not start with "-"');
    if (!/^[A-Za-z0-9._~%:[\]-]+$/.test(host)) return refuse(`the host ${JSON.stringify(host)} is not a host name`);
    return { ok: true };
  }
  return refuse(`not a repository URL (${HINT})`);
};
