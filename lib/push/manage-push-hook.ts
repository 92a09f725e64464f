// Creating, rotating and removing a project's push hook: a new random secret, sealed for the
// HMAC check and hashed for GitLab's token compare, returned once and never again.
import "server-only";
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { getProjectRecord } from "@/lib/data/projects";
import { savePushHookSecret, savePushPoll, type PushHookDto, type PushPollDto } from "@/lib/data/push-hooks";
import { sealSecret } from "@/lib/notifications/secret-box";
import { sha256Hex } from "@/lib/push/push-signature";
import type { PushPollInput } from "@/lib/validations/push";

export const newPushSecret = (): string => `lbp_${randomBytes(24).toString("base64url")}`;

const assertGitProject = async (projectId: string) => {
  const project = await getProjectRecord(projectId);
  if (project.contextKind !== "GIT") throw new AppError("VALIDATION", "builds on push need a git project: this project's context is not a git repository");
  return project;
};

/** Creates the hook or gives it a new secret (the old one stops working at once). */
export const rotatePushHook = async (projectId: string): Promise<{ hook: PushHookDto; secret: string }> => {
  const project = await assertGitProject(projectId);
  const secret = newPushSecret();
  const hook = await savePushHookSecret(project.id, { secretCiphertext: sealSecret(secret), secretHash: sha256Hex(secret) });
  return { hook, secret };
};

export const configurePushPoll = async (projectId: string, input: PushPollInput): Promise<PushPollDto> => {
  const project = await assertGitProject(projectId);
  return savePushPoll(project.id, input);
};
