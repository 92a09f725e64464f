// Roles are ordered: an admin can do what a builder can, a builder what a viewer can.
export type Role = "ADMIN" | "BUILDER" | "VIEWER";

const rank: Record<Role, number> = { VIEWER: 0, BUILDER: 1, ADMIN: 2 };

export const hasRole = (actual: Role, required: Role) => rank[actual] >= rank[required];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  ADMIN: "manage projects, variants, users and API tokens; everything a builder can do",
  BUILDER: "trigger and cancel builds and comparisons; create share links",
  VIEWER: "read projects, builds, logs and reports",
};
