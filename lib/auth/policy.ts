// Sign-in policy: how long a session lasts, and how sign-in attempts are throttled per
// e-mail and per client address. Read by the sign-in code and shown on the settings page.
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export type LoginPolicy = {
  /** Attempts a key gets before the first wait. */
  freeAttempts: number;
  /** The first wait; it doubles with each further attempt, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no attempt for this long (and no wait pending) starts afresh; its row is removed. */
  windowMs: number;
};

// Per e-mail and per client address (the address only behind a trusted proxy): 5 attempts,
// then waits of 10 s, 20 s, 40 s, … capped at 15 minutes. A success clears the e-mail's count.
export const LOGIN_POLICY: LoginPolicy = { freeAttempts: 5, baseDelayMs: 10_000, maxDelayMs: 15 * 60 * 1000, windowMs: 15 * 60 * 1000 };

/** The wait after a key's `attempts`-th attempt (0 while within the free allowance). Pure, mirrored in SQL. */
export const loginDelayMs = (attempts: number, policy: LoginPolicy = LOGIN_POLICY): number =>
  attempts < policy.freeAttempts ? 0 : Math.min(policy.baseDelayMs * 2 ** Math.min(attempts - policy.freeAttempts, 40), policy.maxDelayMs);

// Passwords (issue 13): the one rule for a new user, a changed and a reset password.
export const PASSWORD_POLICY = { minLength: 10, maxLength: 1024 } as const;
