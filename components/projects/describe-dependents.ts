// The words of a delete's confirmation: what goes with a project or a variant. Pure.
import type { Dependents } from "@/lib/data/manage-projects";

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export const describeDependents = (what: "project" | "variant", d: Dependents): string => {
  const parts = [
    ...(what === "project" ? [count(d.variants, "variant")] : []),
    `${count(d.builds, "build")} with their logs, layers and reports`,
    ...(what === "project" ? [count(d.comparisons, "comparison")] : []),
    count(d.shareLinks, "share link"),
    ...(what === "project" && d.webhooks ? [count(d.webhooks, "webhook")] : []),
  ];
  const images = d.images ? ` ${count(d.images, "image")} still on the engine ${d.images === 1 ? "is" : "are"} removed where this server can reach ${d.images === 1 ? "it" : "them"}.` : "";
  const pinned = d.pinned ? ` ${count(d.pinned, "build is", "builds are")} pinned.` : "";
  return `Deletes ${parts.join(", ")}.${images}${pinned} This cannot be undone; archiving keeps them.`;
};
