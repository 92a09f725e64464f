import { describe, expect, it } from "vitest";
import { decidePush, parsePushEvent } from "@/lib/push/push-event";

const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";

describe("push events", () => {
  it("reads GitHub's delivery id, ref, after and default branch", () => {
    const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", before: "0".repeat(40), after: SHA, repository: { default_branch: "main", name: "x" } }));
    const result = parsePushEvent("github", new Headers({ "x-github-event": "push", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" }), body);
    expect(result).toEqual({ ok: true, event: { source: "github", deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958", event: "push", ref: "refs/heads/main", after: SHA, defaultBranch: "main" } });
    expect(decidePush((result as { ok: true; event: never }).event, null)).toEqual({ build: true, sha: SHA, branch: "main" });
  });

  it("maps GitLab's Push Hook and reads its project's default branch", () => {
    const body = Buffer.from(JSON.stringify({ object_kind: "push", ref: "refs/heads/dev", after: SHA, project: { default_branch: "main" } }));
    const result = parsePushEvent("gitlab", new Headers({ "x-gitlab-event": "Push Hook", "x-gitlab-event-uuid": "a1b2" }), body);
    expect(result.ok && result.event).toMatchObject({ event: "push", deliveryId: "a1b2", defaultBranch: "main" });
    expect(result.ok && decidePush(result.event, null)).toEqual({ build: false, reason: "push to refs/heads/dev, not to branch main" });
    expect(result.ok && decidePush(result.event, "dev")).toEqual({ build: true, sha: SHA, branch: "dev" });
  });

  it("takes the generic body's deliveryId and accepts a bare branch name as ref", () => {
    const result = parsePushEvent("generic", new Headers(), Buffer.from(JSON.stringify({ ref: "main", after: SHA.toUpperCase(), deliveryId: "ci-123" })));
    expect(result.ok && decidePush(result.event, "main")).toEqual({ build: true, sha: SHA, branch: "main" });
  });

  it("refuses a body that is not JSON or has no delivery id", () => {
    expect(parsePushEvent("generic", new Headers(), Buffer.from("{"))).toEqual({ ok: false, message: "body: expected a JSON object" });
    expect(parsePushEvent("generic", new Headers(), Buffer.from(JSON.stringify({ ref: "main", after: SHA }))).ok).toBe(false);
    expect(parsePushEvent("github", new Headers({ "x-github-event": "push" }), Buffer.from("{}")).ok).toBe(false);
  });

  it("ignores pings, tag pushes, branch deletions and abbreviated SHAs", () => {
    const base = { source: "github" as const, deliveryId: "d", ref: "refs/heads/main", after: SHA, defaultBranch: "main" };
    expect(decidePush({ ...base, event: "ping" }, "main")).toMatchObject({ build: false, reason: "ping event: only pushes are built" });
    expect(decidePush({ ...base, event: "push", ref: "refs/tags/main" }, "main").build).toBe(false);
    expect(decidePush({ ...base, event: "push", after: "0".repeat(40) }, "main")).toEqual({ build: false, reason: "branch main was deleted" });
    expect(decidePush({ ...base, event: "push", after: SHA.slice(0, 12) }, "main").build).toBe(false);
    expect(decidePush({ ...base, event: "push", defaultBranch: null }, null).build).toBe(false);
  });
});
