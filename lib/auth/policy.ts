// Sign-in policy: how long a session lasts and how many failed sign-ins lock an e-mail or
// client out, and for how long. Read by the sign-in code and shown on the settings page.
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
// Failed sign-ins are counted over this sliding window, per e-mail and per client address.
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILED_LOGINS = 5;
