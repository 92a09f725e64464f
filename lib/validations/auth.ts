// Sign-in, user and API token input.
import { z } from "zod";
import { PASSWORD_POLICY } from "@/lib/auth/policy";

// Self-hosted installs use addresses like admin@localhost, which zod's email() rejects.
const emailSchema = z
  .string()
  .trim()
  .min(1, "email is required")
  .max(254, "email is too long")
  .regex(/^[^\s@]+@[^\s@]+$/, "email is not valid")
  .transform((email) => email.toLowerCase());

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "password is required").max(1024),
});

export const roleSchema = z.enum(["ADMIN", "BUILDER", "VIEWER"]);

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "name is required").max(80),
  password: z.string().min(PASSWORD_POLICY.minLength, `password needs at least ${PASSWORD_POLICY.minLength} characters`).max(PASSWORD_POLICY.maxLength),
  role: roleSchema,
});

export const createApiTokenSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(80),
  role: roleSchema.default("BUILDER"),
});
