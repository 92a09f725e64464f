"use client";
// Pins or unpins a build: retention never removes a pinned build's image.
import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/result";
import { ActionFailure, SubmitButton } from "@/components/ui/action-form";
import { secondaryButtonClass } from "@/components/ui/styles";

export const PinBuildButton = ({ buildId, pinned, action: serverAction }: { buildId: string; pinned: boolean; action: FormAction }) => {
  const [state, action, pending] = useActionState(serverAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={buildId} />
      <input type="hidden" name="pinned" value={pinned ? "false" : "true"} />
      <SubmitButton pending={pending} pendingLabel={pinned ? "Unpinning…" : "Pinning…"} className={secondaryButtonClass}>
        {pinned ? "Unpin" : "Pin this build"}
      </SubmitButton>
      <ActionFailure state={state} />
    </form>
  );
};
