// Server actions refuse requests that did not come from one of our own pages, with the same
// rule as the route handlers (lib/security/headers.ts crossSiteReason): Next.js's own action
// check compares Origin with X-Forwarded-Host, which any client may send, and ignores
// Sec-Fetch-Site. runAction, requireActionActor and signOutAction call this.
import "server-only";
import { headers } from "next/headers";
import { AppError } from "@/lib/errors";
import { trustsProxy } from "@/lib/env";
import { crossSiteReason } from "@/lib/security/headers";

export const assertActionSameOrigin = async (): Promise<void> => {
  const reason = crossSiteReason(await headers(), trustsProxy());
  if (reason) throw new AppError("FORBIDDEN", `cross-site request refused: ${reason}`);
};
