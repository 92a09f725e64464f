import { describe, expect, it } from "vitest";
import { describeDependents } from "./describe-dependents";

const none = { variants: 0, builds: 0, comparisons: 0, shareLinks: 0, webhooks: 0, images: 0, pinned: 0 };

describe("describeDependents", () => {
  it("says what goes with a project, with counts in words", () => {
    expect(describeDependents("project", { variants: 4, builds: 12, comparisons: 3, shareLinks: 1, webhooks: 2, images: 5, pinned: 1 })).toBe(
      "Deletes 4 variants, 12 builds with their logs, layers and reports, 3 comparisons, 1 share link, 2 webhooks. 5 images still on the engine are removed where this server can reach them. 1 build is pinned. This cannot be undone; archiving keeps them.",
    );
  });

  it("leaves the project's parts out of a variant's and says nothing of images when none are left", () => {
    expect(describeDependents("variant", { ...none, variants: 1, builds: 1 })).toBe("Deletes 1 build with their logs, layers and reports, 0 share links. This cannot be undone; archiving keeps them.");
  });
});
