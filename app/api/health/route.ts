import { NextResponse } from "next/server";
import { getHealth } from "@/lib/health";
import { findActorForRequest } from "@/lib/auth/actor";

export const dynamic = "force-dynamic";

// Anonymous callers (load balancers) learn only whether things are up; engine details
// are for signed-in users, because the engine is root-equivalent on its host.
export const GET = async (request: Request) => {
  const health = await getHealth();
  const actor = health.database.ok ? await findActorForRequest(request).catch(() => null) : null;
  const body = actor
    ? health
    : {
        ok: health.ok,
        database: { ok: health.database.ok, ...(health.database.ok ? {} : { reason: "database unavailable" }) },
        engine: { reachable: health.engine.reachable, ...(health.engine.reachable ? {} : { reason: "engine unreachable" }) },
      };
  return NextResponse.json(body, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
};
