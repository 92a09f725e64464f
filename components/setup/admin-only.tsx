// Shown instead of a setup page to signed-in users without the admin role.
import { ErrorState } from "@/components/ui/states";

export const AdminOnly = ({ what }: { what: string }) => (
  <ErrorState title="Administrators only" message={`Only an administrator can ${what}. Ask one to do it, or to give you the admin role.`} />
);
