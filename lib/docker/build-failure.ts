// Turns the message of a failed engine build into the AppError the build records. Pure.
import { AppError } from "@/lib/errors";

// Layerboard's BuildKit session serves registry credentials and build secrets (lib/docker/buildkit-session.ts);
// what still says "no active sessions" needs something it does not serve (an SSH agent, a session lost mid-build).
const sessionMessage = (message: string) =>
  `${message}: this build needs a BuildKit session feature Layerboard does not serve (SSH agent forwarding with --mount=type=ssh, ` +
  "or the session was lost); remove that feature or build with the classic builder";

// BuildKit 0.8 (engine 20.10, solver/llbsolver/mounts/mount.go + session/secrets/secrets.go) says
// `secret NAME not found: not found` for a required mount whose id the session does not know;
// newer releases say `secret NAME: not found`. Names are ^[A-Za-z0-9_.-]+$ (lib/validations/build-secrets.ts),
// but the Dockerfile may use any id, so anything up to a space or colon is taken.
const MISSING_SECRET = /\bsecret ([^\s:]+)(?: not found)?: not found\b/;

/** The name of the required secret a failure message says is missing, else null. */
export const findMissingSecret = (message: string): string | null => MISSING_SECRET.exec(message)?.[1] ?? null;

export const missingSecretMessage = (name: string) => `build secret "${name}" is not defined for this project or variant`;

export const toBuildFailure = (message: string): AppError => {
  const missing = findMissingSecret(message);
  if (missing) return new AppError("BUILD_FAILED", missingSecretMessage(missing));
  // A required SSH mount: BuildKit 0.8 asks the session for the agent and says `no SSH key "ID" forwarded from the client`.
  // `no active session for ID: context deadline exceeded`: the engine dropped the session (checked on
  // 20.10.24 with a session that serves no health check: dropped after ~1 s, failed at the next secret mount).
  if (/no active sessions?\b|no SSH key .* forwarded from the client/i.test(message)) return new AppError("SESSION_REQUIRED", sessionMessage(message));
  return new AppError("BUILD_FAILED", message);
};
