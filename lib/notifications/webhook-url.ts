// Pure: a webhook URL as Layerboard accepts it (http or https, no more than 2048 characters),
// and the hint the UI shows instead of it (the URL may carry a token, as Slack's do).
import { z } from "zod";

export const webhookUrlSchema = z
  .string()
  .trim()
  .min(1, "a URL is required")
  .max(2048, "at most 2048 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && !!url.hostname;
    } catch {
      return false;
    }
  }, "an http:// or https:// URL");

/** "https://hooks.slack.com/…": the scheme and host, never the path, query or credentials. */
export const webhookUrlHint = (value: string): string => {
  const url = new URL(value);
  return `${url.protocol}//${url.host}/…`;
};
