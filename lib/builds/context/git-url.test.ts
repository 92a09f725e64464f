import { describe, expect, it } from "vitest";
import { checkGitUrl } from "./git-url";

const HOSTILE_GIT_URLS = [
  "ssh://[-oProxyCommand=touch /tmp/pwned]/x",
  "ssh://[-oProxyCommand=touch%20/tmp/pwned]/x",
  "ssh://%2doProxyCommand=touch%20/tmp/pwned/x",
  "ssh://%2DoProxyCommand=id/x",
  "ssh://-oProxyCommand=id/x",
  "ssh://%2doProxyCommand=id@host/x",
  "ssh://git@host/%2d-upload-pack=id",
  "git@-oProxyCommand=id:x",
  "%2doProxyCommand=id@host:x",
  "git@host:-x",
  "git@host:%2dx",
  "ext::sh -c touch% /tmp/pwned",
  "ext::sh",
  "fd::3",
  "file://-oProxyCommand=id/x",
  "file:///-x",
  "file:///%2dx",
  "-oProxyCommand=id",
  "--upload-pack=id",
  "ftp://host/x.git",
  "/etc",
  "",
];

describe("checkGitUrl", () => {
  it.each(HOSTILE_GIT_URLS)("refuses %j", (url) => {
    const result = checkGitUrl(url);
    expect(result.ok).toBe(false);
  });

  it.each([
    "https://github.com/org/repo.git",
    "http://git.example.com/repo",
    "https://user:token@github.com/org/repo.git",
    "ssh://git@host/x.git",
    "ssh://git@host:2222/org/x.git",
    "git@host:org/repo.git",
    "git@github.com:org/my-repo.git",
    "host.example.com:org/repo.git",
    "file:///path",
    "file:///tmp/some-dir/repo.git",
  ])("accepts %j", (url) => {
    expect(checkGitUrl(url)).toEqual({ ok: true });
  });

  it("says which part is wrong", () => {
    expect(checkGitUrl("ssh://%2doProxyCommand=id/x")).toEqual({ ok: false, reason: 'the host may not start with "-"' });
    expect(checkGitUrl("git@-oProxyCommand=id:x")).toEqual({ ok: false, reason: 'the host may not start with "-"' });
    expect(checkGitUrl("ext::sh")).toMatchObject({ ok: false, reason: expect.stringContaining("ext::") });
  });
});
