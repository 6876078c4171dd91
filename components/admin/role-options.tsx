import { ROLE_LABELS, ROLES } from "@/lib/auth/roles";

/** The roles as a select's options, by their names. */
export function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r} value={r}>
      {ROLE_LABELS[r]}
    </option>
  ));
}
