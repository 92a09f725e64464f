// What each role may do, from the same descriptions the server checks against.
import { ROLE_DESCRIPTIONS, hasRole, type Role } from "@/lib/auth/roles";
import { Table } from "@/components/ui/table";

const ROLES: Role[] = ["VIEWER", "BUILDER", "ADMIN"];

const CAPABILITIES: { label: string; role: Role }[] = [
  { label: "Read projects, builds, logs, comparisons and reports", role: "VIEWER" },
  { label: "Trigger and cancel builds, compare all variants, create share links", role: "BUILDER" },
  { label: "Create and change projects and variants, upload contexts", role: "ADMIN" },
  { label: "Manage users and API tokens", role: "ADMIN" },
];

export const RolesTable = ({ current }: { current: Role }) => (
  <div className="space-y-3">
    <ul className="space-y-1 text-sm">
      {ROLES.map((role) => (
        <li key={role}>
          <span className="font-medium">{role.toLowerCase()}</span>
          {role === current && <span className="ml-1 text-xs text-indigo-600 dark:text-indigo-400">(you)</span>}: {ROLE_DESCRIPTIONS[role]}
        </li>
      ))}
    </ul>
    <Table data-testid="roles-table">
      <thead>
        <tr>
          <th scope="col">Action</th>
          {ROLES.map((role) => (
            <th key={role} scope="col" className="text-center">
              {role.toLowerCase()}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {CAPABILITIES.map((capability) => (
          <tr key={capability.label}>
            <td>{capability.label}</td>
            {ROLES.map((role) => (
              <td key={role} className="text-center">
                {hasRole(role, capability.role) ? <span aria-label="yes">✓</span> : <span aria-label="no" className="text-slate-400">—</span>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
    <p className="text-xs text-slate-500 dark:text-slate-400">
      API tokens carry a role too. Share links are public, read-only snapshots of one build or comparison.
    </p>
  </div>
);
