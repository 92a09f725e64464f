// Runs before every page, route handler and server action (Next.js 16's middleware): sets the
// security headers of lib/security/headers.ts with a fresh CSP nonce per response. Next.js
// reads the nonce from the Content-Security-Policy request header set here and puts it on
// its own scripts while rendering; app/layout.tsx makes every page render per request.
import { NextResponse, type NextRequest } from "next/server";
import { trustsProxy } from "@/lib/env";
import { createNonce, isTlsRequest, securityHeaders } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const tls = isTlsRequest(request.headers, trustsProxy());
  const headers = securityHeaders({ nonce: createNonce(), tls, dev: process.env.NODE_ENV === "development" });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

// Everything but the build's hashed static files (scripts and styles the pages load).
export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };
