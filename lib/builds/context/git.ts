// Runs the git CLI without a shell: argument arrays, no prompts, a time limit.
import "server-only";
import { execFile } from "node:child_process";

export type GitResult = { stdout: string; stderr: string };

export class GitError extends Error {
  readonly stderr: string;
  readonly timedOut: boolean;

  constructor(message: string, stderr: string, timedOut: boolean) {
    super(message);
    this.name = "GitError";
    this.stderr = stderr;
    this.timedOut = timedOut;
  }
}

const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  // Never wait for a password on a terminal or a credential helper's window.
  GIT_TERMINAL_PROMPT: "0",
  GCM_INTERACTIVE: "never",
  // Only the transports we accept; notably not `ext::`, which runs commands.
  GIT_ALLOW_PROTOCOL: "file:http:https:ssh",
  GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes",
  LC_ALL: "C",
});

export const runGit = (args: string[], options: { cwd?: string; timeoutMs: number }): Promise<GitResult> =>
  new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        env: gitEnv(),
        timeout: options.timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 16 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const timedOut = error.killed === true || error.signal === "SIGKILL";
        const lines = stderr.split("\n").map((line) => line.trim()).filter(Boolean);
        const message = lines.length ? lines.join("; ") : error.message;
        reject(new GitError(message, stderr, timedOut));
      },
    );
  });
