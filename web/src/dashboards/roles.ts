// Who may change dashboards: the server refuses the others anyway; the app hides what a role cannot use.
import { Role } from "../api/operations";

/** Whether `role` may create, change, share and delete dashboards and delete saved reports (MEMBER and above). */
export function canEditDashboards(role: Role): boolean {
  return role !== "VIEWER";
}
