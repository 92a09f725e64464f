// Engine 20.10's legacy export names each layer `<v1 id>/layer.tar`, and writes `<v1 id>/json`
// just before it (entries are sorted by name). The v1 id is moby's v1.CreateID: the SHA-256 of
// that JSON without "id", with "layer_id" = the layer's chain id and "parent" as a digest, keys
// sorted (Go's map order) — for layers below the top also without "os" (moby sets it after
// computing the id). Recomputing it for each chain id of the image says which layer an entry
// holds before its bytes arrive, so an indexed layer is only drained (and verified by its hash).
// Checked against `docker save` on engine 20.10.24. Pure.
import { createHash } from "node:crypto";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Chain ids of diff_ids (lowest first): chain(0) = diff(0), chain(n) = sha256(chain(n-1) + " " + diff(n)). */
export const chainIds = (diffIds: string[]): string[] => {
  const chains: string[] = [];
  diffIds.forEach((diffId, index) => chains.push(index ? `sha256:${sha256(`${chains[index - 1]} ${diffId}`)}` : diffId));
  return chains;
};

// The top-level members of a compact JSON object, each value as its raw text (Go's escaping kept).
const splitMembers = (text: string): Map<string, string> | null => {
  const members = new Map<string, string>();
  if (!text.startsWith("{") || !text.endsWith("}")) return null;
  let i = 1;
  while (i < text.length - 1) {
    if (text[i] === ",") i += 1;
    if (text[i] !== '"') return null;
    let keyEnd = i + 1;
    while (keyEnd < text.length && text[keyEnd] !== '"') keyEnd += text[keyEnd] === "\\" ? 2 : 1;
    const key = JSON.parse(text.slice(i, keyEnd + 1)) as string;
    i = keyEnd + 1;
    if (text[i] !== ":") return null;
    i += 1;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i += 1) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i += 1;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth += 1;
      else if (c === "}" || c === "]") {
        if (depth === 0) break;
        depth -= 1;
      } else if (c === "," && depth === 0) break;
    }
    members.set(key, text.slice(start, i));
  }
  return members;
};

const createId = (members: Map<string, string>, chainId: string, withoutOs: boolean) => {
  const input = new Map(members);
  input.delete("id");
  input.set("layer_id", JSON.stringify(chainId));
  const parent = input.get("parent");
  if (parent) input.set("parent", JSON.stringify(`sha256:${JSON.parse(parent) as string}`));
  if (withoutOs) input.delete("os");
  const keys = [...input.keys()].sort();
  return sha256(`{${keys.map((key) => `${JSON.stringify(key)}:${input.get(key)}`).join(",")}}`);
};

/** The position (into diffIds) of the layer whose `<v1 id>/json` this is, or -1 when none matches. */
export const findLegacyLayerPosition = (v1Json: string, chains: string[]): number => {
  const members = splitMembers(v1Json.trim());
  const idText = members?.get("id");
  if (!members || !idText) return -1;
  const id = JSON.parse(idText) as string;
  for (const withoutOs of [true, false]) {
    const position = chains.findIndex((chain) => createId(members, chain, withoutOs) === id);
    if (position !== -1) return position;
  }
  return -1;
};
