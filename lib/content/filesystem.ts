// Folds an image's layer indexes (lowest first) into the filesystem a container sees: whiteouts
// and opaque directories applied, a file or link replacing a directory hides what was under it,
// hard links resolved (a link whose target was later deleted or replaced becomes the owner of the
// bytes). Reports each path's change per layer and every file copy that became unreachable, for
// the waste report (waste.ts) and the layer view. Pure.
import { parentOf } from "@/lib/content/layer-index";
import type { FinalEntry, FinalFilesystem, LayerEntry, LayerIndex } from "@/lib/content/types";

export type LayerChangeKind = "added" | "modified" | "deleted";
export type LayerChange = { path: string; layer: number; change: LayerChangeKind };

/** A file's bytes in layer `layer` that layer `byLayer` made unreachable (no path of the final filesystem reaches them). */
export type UnreachableCopy = { path: string; bytes: number; layer: number; byLayer: number; reason: "overwritten" | "deleted" };

export type MergeObserver = {
  onChange?: (change: LayerChange) => void;
  onUnreachable?: (copy: UnreachableCopy) => void;
  /** A visible entry taken away by layer `byLayer`: a whiteout, an opaque directory, or a file replacing its parent directory (reason "overwritten"). Not called for the path an overwrite replaces. */
  onRemove?: (entry: FinalEntry, byLayer: number, reason: UnreachableCopy["reason"]) => void;
};

// The content behind a regular file and the hard links to it: its bytes stay reachable while any path does.
type Content = { file: FinalEntry; paths: Set<string> };

const sameMetadata = (a: LayerEntry, b: LayerEntry) => a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;

export const mergeLayers = (layers: Array<Pick<LayerIndex, "entries" | "captured">>, observer: MergeObserver = {}): FinalFilesystem => {
  const entries = new Map<string, FinalEntry>();
  const children = new Map<string, Set<string>>();
  const contentOf = new Map<FinalEntry, Content>();

  const link = (path: string) => {
    if (path === "/") return;
    const parent = parentOf(path);
    let set = children.get(parent);
    if (!set) children.set(parent, (set = new Set()));
    set.add(path);
  };

  const release = (entry: FinalEntry, byLayer: number, reason: UnreachableCopy["reason"]) => {
    const content = contentOf.get(entry);
    if (!content) return;
    contentOf.delete(entry);
    content.paths.delete(entry.path);
    const { file } = content;
    if (content.paths.size === 0 && file.size > 0 && file.layer < byLayer)
      observer.onUnreachable?.({ path: file.path, bytes: file.size, layer: file.layer, byLayer, reason });
  };

  const removeChildren = (dir: string, byLayer: number, reason: UnreachableCopy["reason"], report: boolean) => {
    const set = children.get(dir);
    if (!set) return;
    children.delete(dir);
    for (const child of set) remove(child, byLayer, reason, report, false);
  };

  // `report`: emit "deleted" changes (whiteouts and what they take with them, not overwrites).
  const remove = (path: string, byLayer: number, reason: UnreachableCopy["reason"], report: boolean, unlink = true) => {
    const entry = entries.get(path);
    removeChildren(path, byLayer, reason, report);
    if (!entry) return;
    entries.delete(path);
    if (unlink) children.get(parentOf(path))?.delete(path);
    observer.onRemove?.(entry, byLayer, reason);
    release(entry, byLayer, reason);
    if (report) observer.onChange?.({ path, layer: byLayer, change: "deleted" });
  };

  layers.forEach((layer, index) => {
    // Whiteouts and opaque markers act on the layers below only: apply them before the layer's own entries.
    for (const entry of layer.entries) {
      if (entry.kind === "whiteout") remove(entry.path, index, "deleted", true);
      else if (entry.kind === "opaque") removeChildren(entry.path, index, "deleted", true);
    }
    for (const entry of layer.entries) {
      if (entry.kind === "whiteout" || entry.kind === "opaque") continue;
      const next: FinalEntry = { ...entry, layer: index };
      const existing = entries.get(entry.path);
      if (existing) {
        if (existing.kind === "dir" && next.kind === "dir") {
          // A directory listed again (every layer lists the parents of what it adds): merged, not replaced.
          if (existing.layer !== index && !sameMetadata(existing, next)) observer.onChange?.({ path: entry.path, layer: index, change: "modified" });
          entries.set(entry.path, next);
          continue;
        }
        removeChildren(entry.path, index, "overwritten", false);
        entries.delete(entry.path);
        release(existing, index, "overwritten");
        if (existing.layer !== index) observer.onChange?.({ path: entry.path, layer: index, change: "modified" });
      } else {
        observer.onChange?.({ path: entry.path, layer: index, change: "added" });
      }
      entries.set(entry.path, next);
      link(entry.path);
      if (next.kind === "file") contentOf.set(next, { file: next, paths: new Set([next.path]) });
      else if (next.kind === "hardlink" && next.linkTarget) {
        const target = entries.get(next.linkTarget);
        const content = target && contentOf.get(target);
        if (content) {
          content.paths.add(next.path);
          contentOf.set(next, content);
        }
      }
    }
  });

  resolveHardLinks(entries, contentOf);

  const captured = new Map<string, { content: string; layer: number }>();
  layers.forEach((layer, index) => {
    for (const [path, content] of Object.entries(layer.captured)) {
      const entry = entries.get(path);
      if (entry && entry.layer === index && entry.kind === "file") captured.set(path, { content, layer: index });
    }
  });
  return { entries, captured };
};

// A hard link whose target path is gone (deleted or replaced in a later layer) still reaches the
// bytes: the first such link (by path) becomes a regular file, the others point to it.
const resolveHardLinks = (entries: Map<string, FinalEntry>, contentOf: Map<FinalEntry, Content>) => {
  const orphaned = new Set<Content>();
  for (const entry of entries.values()) {
    if (entry.kind !== "hardlink") continue;
    const content = contentOf.get(entry);
    if (content && entries.get(content.file.path) !== content.file) orphaned.add(content);
  }
  for (const content of orphaned) {
    const [owner, ...others] = [...content.paths].sort();
    const link = entries.get(owner)!;
    const { linkTarget: _target, ...file } = content.file;
    entries.set(owner, { ...file, path: owner, layer: link.layer, mode: link.mode, uid: link.uid, gid: link.gid });
    for (const other of others) {
      const entry = entries.get(other)!;
      entries.set(other, { ...entry, linkTarget: owner });
    }
  }
};

/** Every path's change per layer, in layer order (whiteouts first within a layer). */
export const listLayerChanges = (layers: Array<Pick<LayerIndex, "entries" | "captured">>): LayerChange[] => {
  const changes: LayerChange[] = [];
  mergeLayers(layers, { onChange: (change) => changes.push(change) });
  return changes;
};
