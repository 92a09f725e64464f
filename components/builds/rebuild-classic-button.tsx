"use client";
// BuildKit without a client session cannot do secret mounts (and some `# syntax=` and
// pulls): offer the same variant once more on the classic builder.
import { useState } from "react";
import { useRouter } from "next/navigation";

export const RebuildClassicButton = ({ variantId }: { variantId: string }) => {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const rebuild = async () => {
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/builds", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ variantId, builder: "CLASSIC" }),
      });
      const body = (await response.json()) as { build?: { id: string }; error?: { message: string } };
      if (!response.ok || !body.build) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
      router.push(`/builds/${body.build.id}`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setPending(false);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" onClick={rebuild} disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
        {pending ? "Queueing…" : "Rebuild with the classic builder"}
      </button>
      {error && <span role="alert" className="text-sm text-red-600 dark:text-red-400">{error}</span>}
    </div>
  );
};
