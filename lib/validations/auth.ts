// Sign-in, user and API token input.
import { z } from "zod";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "email is required").max(254).email("email is not valid"),
  password: z.string().min(1, "password is required").max(1024),
});

export const roleSchema = z.enum(["ADMIN", "BUILDER", "VIEWER"]);

export const createUserSchema = z.object({
  email: z.string().trim().max(254).email("email is not valid"),
  name: z.string().trim().min(1, "name is required").max(80),
  password: z.string().min(10, "password needs at least 10 characters").max(1024),
  role: roleSchema,
});

export const createApiTokenSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(80),
  role: roleSchema.default("BUILDER"),
});
