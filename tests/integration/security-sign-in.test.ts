// Sign-in throttling under attack (issue 14, rows 1, 2 and 9): a burst of parallel guesses
// gets at most the free allowance of password checks, the wait after that is short and
// doubles (no long lock-out of the admin), unknown e-mails cost an Argon2 check like a wrong
// password, and quiet throttle rows are removed.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createUser, pruneLoginThrottle, signIn } from "@/lib/data/users";
import { passwordVerificationCount, verifyPasswordOrDummy } from "@/lib/auth/password";
import { LOGIN_POLICY, type LoginPolicy } from "@/lib/auth/policy";

const unique = () => randomBytes(4).toString("hex");
const RIGHT = "the-right-password";
const makeAdmin = () => createUser({ email: `admin-${unique()}@sign-in.test`, name: `Admin ${unique()}`, password: RIGHT, role: "ADMIN" });
const outcome = (attempt: Promise<unknown>) =>
  attempt.then(
    () => "success",
    (e: { code?: string }) => e.code ?? "error",
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sign-in throttle", () => {
  afterAll(() => db.$disconnect());

  it("lets a burst of 300 parallel attempts for one e-mail through at most the free allowance, the right password last refused", async () => {
    const admin = await makeAdmin();
    const policy: LoginPolicy = { ...LOGIN_POLICY, baseDelayMs: 60_000 };
    const checksBefore = passwordVerificationCount();
    const passwords = [...Array.from({ length: 299 }, (_, i) => `wrong-${i}`), RIGHT];
    const results = await Promise.all(passwords.map((password) => outcome(signIn({ email: admin.email, password, clientKey: null }, policy))));
    const count = (what: string) => results.filter((r) => r === what).length;
    expect(count("success") + count("UNAUTHENTICATED")).toBeLessThanOrEqual(policy.freeAttempts);
    expect(count("RATE_LIMITED")).toBeGreaterThanOrEqual(300 - policy.freeAttempts);
    expect(count("success") + count("UNAUTHENTICATED") + count("RATE_LIMITED")).toBe(300);
    // The right password, sent last, succeeds only if it was one of the few attempts checked
    // (the database, not the order of sending, decides which ones those are).
    expect(count("success")).toBeLessThanOrEqual(1);
    expect(results.at(-1) === "success" || results.at(-1) === "RATE_LIMITED").toBe(true);
    expect(passwordVerificationCount() - checksBefore).toBeLessThanOrEqual(policy.freeAttempts);
    // The right password from anywhere is refused while the wait lasts, and checks nothing.
    const checks = passwordVerificationCount();
    await expect(signIn({ email: admin.email.toUpperCase(), password: RIGHT, clientKey: `elsewhere-${unique()}` }, policy)).rejects.toMatchObject({
      code: "RATE_LIMITED",
      message: expect.stringMatching(/try again in \d+ s/),
    });
    expect(passwordVerificationCount()).toBe(checks);
  });

  it("limits a client address the same way across many e-mails, under a burst", async () => {
    const admin = await makeAdmin();
    const clientKey = `burst-${unique()}`;
    const policy: LoginPolicy = { ...LOGIN_POLICY, baseDelayMs: 60_000 };
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => outcome(signIn({ email: `nobody-${i}-${unique()}@sign-in.test`, password: "x", clientKey }, policy))),
    );
    expect(results.filter((r) => r === "UNAUTHENTICATED").length).toBeLessThanOrEqual(policy.freeAttempts);
    expect(results.filter((r) => r === "RATE_LIMITED").length).toBeGreaterThanOrEqual(100 - policy.freeAttempts);
    await expect(outcome(signIn({ email: admin.email, password: RIGHT, clientKey }, policy))).resolves.toBe("RATE_LIMITED");
    // The admin from another address is not held up by that client.
    await expect(outcome(signIn({ email: admin.email, password: RIGHT, clientKey: `other-${unique()}` }, policy))).resolves.toBe("success");
  });

  it("backs off instead of locking out: the admin signs in once the short wait is over, and the wait doubles", async () => {
    const admin = await makeAdmin();
    // Waits of 3 s then 6 s: long enough that a busy machine cannot outlast one between two calls.
    const policy: LoginPolicy = { ...LOGIN_POLICY, baseDelayMs: 3_000, maxDelayMs: 60_000 };
    // An attacker's five wrong passwords from anywhere.
    await Promise.all(Array.from({ length: 5 }, (_, i) => outcome(signIn({ email: admin.email, password: `wrong-${i}`, clientKey: null }, policy))));
    await expect(outcome(signIn({ email: admin.email, password: RIGHT, clientKey: null }, policy))).resolves.toBe("RATE_LIMITED");
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${admin.email}` } });
    expect(row.attempts).toBe(5);
    await sleep(3_300);
    // One more wrong guess after the wait: counted, and the next wait is twice as long.
    await expect(outcome(signIn({ email: admin.email, password: "wrong-again", clientKey: null }, policy))).resolves.toBe("UNAUTHENTICATED");
    const after = await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${admin.email}` } });
    expect(after.attempts).toBe(6);
    expect(after.blockedUntil!.getTime() - after.lastAttemptAt.getTime()).toBe(6_000);
    await expect(outcome(signIn({ email: admin.email, password: RIGHT, clientKey: null }, policy))).resolves.toBe("RATE_LIMITED");
    await sleep(6_300);
    await expect(outcome(signIn({ email: admin.email, password: RIGHT, clientKey: null }, policy))).resolves.toBe("success");
    // A success clears the e-mail's count: five fresh attempts again.
    expect(await db.loginThrottle.findUnique({ where: { key: `email:${admin.email}` } })).toBeNull();
  });

  it("checks an unknown e-mail against a dummy Argon2 hash, with the same answer as a wrong password", async () => {
    const admin = await makeAdmin();
    const before = passwordVerificationCount();
    const unknown = await signIn({ email: `ghost-${unique()}@sign-in.test`, password: "x", clientKey: null }).catch((e: Error) => e.message);
    expect(passwordVerificationCount() - before).toBe(1);
    const wrong = await signIn({ email: admin.email, password: "x", clientKey: null }).catch((e: Error) => e.message);
    expect(passwordVerificationCount() - before).toBe(2);
    expect(unknown).toBe(wrong);
    // The dummy hash never matches, not even its own password.
    await expect(verifyPasswordOrDummy(null, "layerboard-dummy-password-never-matches")).resolves.toBe(false);
  });

  it("removes throttle rows that have been quiet for the window, and keeps recent or waiting ones", async () => {
    const old = new Date(Date.now() - LOGIN_POLICY.windowMs - 60_000);
    const keys = { quiet: `email:quiet-${unique()}`, recent: `email:recent-${unique()}`, waiting: `email:waiting-${unique()}` };
    await db.loginThrottle.createMany({
      data: [
        { key: keys.quiet, attempts: 3, lastAttemptAt: old },
        { key: keys.recent, attempts: 3, lastAttemptAt: new Date() },
        { key: keys.waiting, attempts: 9, lastAttemptAt: old, blockedUntil: new Date(Date.now() + 3_600_000) },
      ],
    });
    // Each sign-in prunes a bounded batch; this one is for an unrelated e-mail.
    await outcome(signIn({ email: `someone-${unique()}@sign-in.test`, password: "x", clientKey: null }));
    const left = (await db.loginThrottle.findMany({ where: { key: { in: Object.values(keys) } } })).map((r) => r.key).sort();
    expect(left).toEqual([keys.recent, keys.waiting].sort());
    expect(await pruneLoginThrottle()).toBeGreaterThanOrEqual(0);
  });
});
