// Shapes of the build SSE events (app/api/builds/[id]/events), checked where they enter the browser.
import { z } from "zod";

const statusSchema = z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED"]);

export const logEventSchema = z.object({ seq: z.number().int(), stream: z.string(), text: z.string(), at: z.string(), step: z.string().nullish() });

export const stateEventSchema = z.object({
  status: statusSchema,
  stepsTotal: z.number().int(),
  stepsDone: z.number().int(),
  cachedSteps: z.number().int(),
  logTruncated: z.boolean(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  finishedAt: z.string().nullable(),
  startedAt: z.string().nullable().default(null),
  queuePosition: z.number().int().nullable().default(null),
  phases: z.array(z.object({ name: z.string(), startedAt: z.string(), finishedAt: z.string().nullable() })).default([]),
  steps: z.array(
    z.object({
      digest: z.string(),
      position: z.number(),
      name: z.string(),
      stage: z.string().nullable(),
      startedAt: z.string().nullable(),
      completedAt: z.string().nullable(),
      cached: z.boolean(),
      error: z.string().nullable(),
      image: z.string().default("main"),
    }),
  ),
});

export const endEventSchema = z.object({ status: statusSchema });

export const errorEventSchema = z.object({ message: z.string() });

export const parseEventData = <T>(schema: z.ZodType<T>, data: unknown): T | null => {
  if (typeof data !== "string") return null;
  try {
    const parsed = schema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};
