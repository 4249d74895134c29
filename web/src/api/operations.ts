// Every GraphQL operation the dashboard sends, named, with the types of its variables and data (schema.graphql).
import { operation } from "./client";

export type Role = "OWNER" | "ADMIN" | "MEMBER" | "VIEWER";
export type ApiTokenKind = "INGEST" | "PERSONAL";
export type ApiTokenScope = "READ" | "WRITE";

export interface OrganizationRef {
  id: string;
  name: string;
}

export interface Project {
  id: string;
  name: string;
  timezone: string;
  retentionDays: number | null;
  createdAt: string;
}

export interface Me {
  id: string;
  email: string;
  name: string | null;
  memberships: { role: Role; organization: OrganizationRef }[];
}

export interface ApiToken {
  id: string;
  name: string;
  kind: ApiTokenKind;
  prefix: string;
  scopes: ApiTokenScope[];
  project: { id: string; name: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface Member {
  role: Role;
  user: { id: string; email: string; name: string | null };
}

const meFields = "id email name memberships { role organization { id name } }";
const projectFields = "id name timezone retentionDays createdAt";
const tokenFields = "id name kind prefix scopes project { id name } createdAt lastUsedAt expiresAt revokedAt";

export const SignUp = operation<
  { signUp: { token: string; organization: OrganizationRef | null } },
  { input: { email: string; password: string; name?: string; organizationName: string } }
>(
  "SignUp",
  `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token organization { id name } } }`,
);

export const LogIn = operation<{ logIn: { token: string } }, { input: { email: string; password: string } }>(
  "LogIn",
  `mutation LogIn($input: LogInInput!) { logIn(input: $input) { token } }`,
);

export const CurrentUser = operation<{ me: Me }>("CurrentUser", `query CurrentUser { me { ${meFields} } }`);

export const CreateOrganization = operation<{ createOrganization: OrganizationRef }, { input: { name: string } }>(
  "CreateOrganization",
  `mutation CreateOrganization($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }`,
);

export const OrganizationProjects = operation<
  { organization: (OrganizationRef & { projects: Project[] }) | null },
  { id: string }
>(
  "OrganizationProjects",
  `query OrganizationProjects($id: ID!) { organization(id: $id) { id name projects { ${projectFields} } } }`,
);

export const ProjectDetail = operation<
  { project: (Project & { organization: OrganizationRef }) | null },
  { id: string }
>(
  "ProjectDetail",
  `query ProjectDetail($id: ID!) { project(id: $id) { ${projectFields} organization { id name } } }`,
);

export const CreateProject = operation<
  { createProject: Project },
  { input: { organizationId: string; name: string; timezone: string; retentionDays?: number | null } }
>(
  "CreateProject",
  `mutation CreateProject($input: CreateProjectInput!) { createProject(input: $input) { ${projectFields} } }`,
);

export const UpdateProject = operation<
  { updateProject: Project },
  { input: { id: string; name?: string; timezone?: string; retentionDays?: number | null } }
>(
  "UpdateProject",
  `mutation UpdateProject($input: UpdateProjectInput!) { updateProject(input: $input) { ${projectFields} } }`,
);

export const DeleteProject = operation<{ deleteProject: boolean }, { id: string }>(
  "DeleteProject",
  `mutation DeleteProject($id: ID!) { deleteProject(id: $id) }`,
);

export const OrganizationTokens = operation<
  { organization: (OrganizationRef & { apiTokens: ApiToken[]; projects: { id: string; name: string }[] }) | null },
  { id: string }
>(
  "OrganizationTokens",
  `query OrganizationTokens($id: ID!) {
    organization(id: $id) { id name apiTokens { ${tokenFields} } projects { id name } }
  }`,
);

export const CreateApiToken = operation<
  { createApiToken: { token: string; apiToken: ApiToken } },
  {
    input: {
      projectId: string;
      name: string;
      kind: ApiTokenKind;
      scopes?: ApiTokenScope[];
      expiresAt?: string | null;
    };
  }
>(
  "CreateApiToken",
  `mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) { token apiToken { ${tokenFields} } }
  }`,
);

export const RevokeApiToken = operation<{ revokeApiToken: ApiToken }, { id: string }>(
  "RevokeApiToken",
  `mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ${tokenFields} } }`,
);

export const OrganizationMembers = operation<
  { organization: (OrganizationRef & { members: Member[] }) | null },
  { id: string }
>(
  "OrganizationMembers",
  `query OrganizationMembers($id: ID!) {
    organization(id: $id) { id name members { role user { id email name } } }
  }`,
);

export type InvitationStatus = "PENDING" | "ACCEPTED" | "REVOKED" | "EXPIRED";

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  invitedBy: { email: string } | null;
}

const invitationFields = "id email role status createdAt expiresAt invitedBy { email }";

/** Invites an address; the answer carries the link to give the invitee (only here). */
export const AddMember = operation<
  { addMember: Invitation & { link: string | null } },
  { input: { organizationId: string; email: string; role: Role } }
>("AddMember", `mutation AddMember($input: AddMemberInput!) { addMember(input: $input) { ${invitationFields} link } }`);

export const OrganizationInvitations = operation<{ invitations: Invitation[] }, { organizationId: string }>(
  "OrganizationInvitations",
  `query OrganizationInvitations($organizationId: ID!) { invitations(organizationId: $organizationId) { ${invitationFields} } }`,
);

export const RevokeInvitation = operation<{ revokeInvitation: Invitation }, { id: string }>(
  "RevokeInvitation",
  `mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { ${invitationFields} } }`,
);

export const AcceptInvitation = operation<
  { acceptInvitation: { role: Role; organization: OrganizationRef } },
  { token: string }
>(
  "AcceptInvitation",
  `mutation AcceptInvitation($token: String!) { acceptInvitation(token: $token) { role organization { id name } } }`,
);

export const LogOut = operation<{ logOut: boolean }>("LogOut", `mutation LogOut { logOut }`);

export const ServerFeatures = operation<{ serverFeatures: { passwordReset: boolean; emailVerification: boolean } }>(
  "ServerFeatures",
  `query ServerFeatures { serverFeatures { passwordReset emailVerification } }`,
);

export const RequestPasswordReset = operation<{ requestPasswordReset: boolean }, { email: string }>(
  "RequestPasswordReset",
  `mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }`,
);

export const ResetPassword = operation<{ resetPassword: boolean }, { input: { token: string; newPassword: string } }>(
  "ResetPassword",
  `mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }`,
);

export const VerifyEmail = operation<{ verifyEmail: boolean }, { token: string }>(
  "VerifyEmail",
  `mutation VerifyEmail($token: String!) { verifyEmail(token: $token) }`,
);

export const ChangeMemberRole = operation<
  { changeMemberRole: { role: Role } },
  { input: { organizationId: string; userId: string; role: Role } }
>(
  "ChangeMemberRole",
  `mutation ChangeMemberRole($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { role } }`,
);

export const RemoveMember = operation<{ removeMember: boolean }, { organizationId: string; userId: string }>(
  "RemoveMember",
  `mutation RemoveMember($organizationId: ID!, $userId: ID!) {
    removeMember(organizationId: $organizationId, userId: $userId)
  }`,
);

export const FirstEvent = operation<
  { events: { edges: { node: { id: string; event: string; timestamp: string } }[] } },
  { projectId: string }
>(
  "FirstEvent",
  `query FirstEvent($projectId: ID!) { events(projectId: $projectId, first: 1) { edges { node { id event timestamp } } } }`,
);

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export const Sessions = operation<{ sessions: Session[] }>(
  "Sessions",
  `query Sessions { sessions { id createdAt lastSeenAt expiresAt userAgent ip current } }`,
);

export const RevokeSession = operation<{ revokeSession: boolean }, { id: string }>(
  "RevokeSession",
  `mutation RevokeSession($id: ID!) { revokeSession(id: $id) }`,
);

export const LogOutEverywhere = operation<{ logOutEverywhere: number }>(
  "LogOutEverywhere",
  `mutation LogOutEverywhere { logOutEverywhere }`,
);

export const ChangePassword = operation<
  { changePassword: boolean },
  { input: { currentPassword: string; newPassword: string } }
>("ChangePassword", `mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) }`);

export interface EventNode {
  id: string;
  event: string;
  distinctId: string;
  personId: string | null;
  timestamp: string;
  receivedAt: string;
  properties: Record<string, unknown>;
}

export type PropertyOperator =
  | "EQ"
  | "NEQ"
  | "CONTAINS"
  | "NOT_CONTAINS"
  | "REGEX"
  | "GT"
  | "GTE"
  | "LT"
  | "LTE"
  | "IS_SET"
  | "IS_NOT_SET"
  | "IN";

export interface PropertyFilter {
  key: string;
  operator: PropertyOperator;
  value?: unknown;
  /** Whose properties: the event's (the default) or its person's. */
  type?: "EVENT" | "PERSON";
}

export interface EventFilter {
  event?: string;
  distinctId?: string;
  distinctIds?: string[];
  properties?: PropertyFilter[];
}

const eventFields = "id event distinctId personId timestamp receivedAt properties";

export const LiveEvents = operation<
  { liveEvents: { events: EventNode[]; cursor: string | null } },
  { projectId: string; after: string | null; limit: number }
>(
  "LiveEvents",
  `query LiveEvents($projectId: ID!, $after: String, $limit: Int) {
    liveEvents(projectId: $projectId, after: $after, limit: $limit) { events { ${eventFields} } cursor }
  }`,
);

export const ExploreEvents = operation<
  {
    events: {
      edges: { cursor: string; node: EventNode }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  },
  { projectId: string; filter: EventFilter; first: number; after: string | null }
>(
  "ExploreEvents",
  `query ExploreEvents($projectId: ID!, $filter: EventFilter, $first: Int, $after: String) {
    events(projectId: $projectId, filter: $filter, first: $first, after: $after) {
      edges { cursor node { ${eventFields} } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
);

export const EventNames = operation<{ eventNames: string[] }, { projectId: string }>(
  "EventNames",
  `query EventNames($projectId: ID!) { eventNames(projectId: $projectId, limit: 200) }`,
);

export const PropertyKeys = operation<{ propertyKeys: string[] }, { projectId: string }>(
  "PropertyKeys",
  `query PropertyKeys($projectId: ID!) { propertyKeys(projectId: $projectId, limit: 200) }`,
);

export const PersonPropertyKeys = operation<{ personPropertyKeys: string[] }, { projectId: string }>(
  "PersonPropertyKeys",
  `query PersonPropertyKeys($projectId: ID!) { personPropertyKeys(projectId: $projectId, limit: 200) }`,
);

export interface Person {
  id: string;
  distinctIds: string[];
  properties: Record<string, unknown>;
  lastSeen: string | null;
}

const personFields = "id distinctIds properties lastSeen";

export const Persons = operation<{ persons: Person[] }, { projectId: string; search: string | null }>(
  "Persons",
  `query Persons($projectId: ID!, $search: String) { persons(projectId: $projectId, search: $search, limit: 100) { ${personFields} } }`,
);

export const PersonDetail = operation<{ person: Person | null }, { projectId: string; distinctId: string }>(
  "PersonDetail",
  `query PersonDetail($projectId: ID!, $distinctId: String!) { person(projectId: $projectId, distinctId: $distinctId) { ${personFields} } }`,
);

// Reports (docs/reports.md): the inputs as the server takes them, so a saved report's definition is the same JSON.

export type Interval = "HOUR" | "DAY" | "WEEK" | "MONTH";
export type TrendMath =
  | "TOTAL"
  | "UNIQUE_USERS"
  | "WEEKLY_ACTIVE"
  | "MONTHLY_ACTIVE"
  | "SUM"
  | "AVG"
  | "MIN"
  | "MAX"
  | "MEDIAN"
  | "P90"
  | "P95"
  | "P99";
export type FunnelOrder = "ORDERED" | "STRICT" | "UNORDERED";
export type RetentionPeriod = "DAY" | "WEEK" | "MONTH";
export type RetentionMode = "RECURRING" | "FIRST_TIME";
export type ReportKind = "TRENDS" | "FUNNEL" | "RETENTION";

/** A range relative to when the report runs, resolved by the server in the project's time zone. */
export interface RelativeRange {
  last?: { amount: number; unit: Interval };
  includeCurrent?: boolean;
  this?: Interval;
  since?: string;
}

/** `dateFrom` and `dateTo` (instants, half-open), or a relative `range`. */
export interface ReportRange {
  dateFrom?: string;
  dateTo?: string;
  range?: RelativeRange;
}

export interface TrendSeriesInput {
  event: string | null;
  math: TrendMath;
  property?: string;
}

export interface TrendsInput extends ReportRange {
  series: TrendSeriesInput[];
  interval?: Interval;
  breakdown?: string;
  breakdownLimit?: number;
  filters?: PropertyFilter[];
  compareToPrevious?: boolean;
}

export interface FunnelStepInput {
  event: string;
  filters?: PropertyFilter[];
}

export interface FunnelInput extends ReportRange {
  steps: FunnelStepInput[];
  windowSeconds: number;
  order?: FunnelOrder;
  breakdown?: string;
  breakdownLimit?: number;
  compareToPrevious?: boolean;
}

export interface RetentionInput extends ReportRange {
  startEvent: string;
  returnEvent: string;
  period?: RetentionPeriod;
  periods: number;
  mode?: RetentionMode;
  filters?: PropertyFilter[];
}

export interface TrendSeries {
  label: string;
  event: string | null;
  math: TrendMath;
  breakdownValue: string | null;
  total: number;
  points: { bucket: string; value: number }[];
}

export interface TrendsResult {
  series: TrendSeries[];
  /** With compareToPrevious: the same series over the equally long period just before the range. */
  previous: TrendSeries[];
  /** The range the report ran over (a relative range as resolved). */
  dateFrom: string;
  dateTo: string;
}

export interface FunnelStep {
  index: number;
  event: string;
  count: number;
  conversionRate: number;
  medianSecondsFromPrevious: number | null;
}

export interface FunnelResult {
  steps: FunnelStep[];
  breakdowns: { breakdownValue: string | null; steps: FunnelStep[] }[];
  /** With compareToPrevious: the steps (without breakdown) over the equally long period just before the range. */
  previous: FunnelStep[];
  /** The range the entries were counted in (a relative range as resolved); not asked for by shared dashboards. */
  dateFrom?: string;
  dateTo?: string;
}

export interface RetentionResult {
  cohorts: { start: string; size: number; values: number[] }[];
}

const seriesFields = "label event math breakdownValue total points { bucket value }";
const stepFields = "index event count conversionRate medianSecondsFromPrevious";

export const Trends = operation<{ trends: TrendsResult }, { projectId: string; input: TrendsInput }>(
  "Trends",
  `query Trends($projectId: ID!, $input: TrendsInput!) {
    trends(projectId: $projectId, input: $input) { dateFrom dateTo series { ${seriesFields} } previous { ${seriesFields} } }
  }`,
);

export const Funnel = operation<{ funnel: FunnelResult }, { projectId: string; input: FunnelInput }>(
  "Funnel",
  `query Funnel($projectId: ID!, $input: FunnelInput!) {
    funnel(projectId: $projectId, input: $input) {
      dateFrom dateTo steps { ${stepFields} } breakdowns { breakdownValue steps { ${stepFields} } } previous { ${stepFields} }
    }
  }`,
);

export const Retention = operation<{ retention: RetentionResult }, { projectId: string; input: RetentionInput }>(
  "Retention",
  `query Retention($projectId: ID!, $input: RetentionInput!) {
    retention(projectId: $projectId, input: $input) { cohorts { start size values } }
  }`,
);

export interface SavedReport {
  id: string;
  name: string;
  kind: ReportKind;
  definition: unknown;
  project: { id: string };
  updatedAt: string;
}

const reportFields = "id name kind definition project { id } updatedAt";

export const ReportDetail = operation<{ report: SavedReport | null }, { id: string }>(
  "ReportDetail",
  `query ReportDetail($id: ID!) { report(id: $id) { ${reportFields} } }`,
);

export const SaveReport = operation<
  { saveReport: SavedReport },
  { input: { projectId: string; name: string; kind: ReportKind; definition: unknown } }
>("SaveReport", `mutation SaveReport($input: SaveReportInput!) { saveReport(input: $input) { ${reportFields} } }`);

export const UpdateReport = operation<
  { updateReport: SavedReport },
  { input: { id: string; name?: string; definition?: unknown } }
>("UpdateReport", `mutation UpdateReport($input: UpdateReportInput!) { updateReport(input: $input) { ${reportFields} } }`);

// Dashboards (saved reports on a 12-column grid) and their read-only share links.

export const ProjectReports = operation<{ reports: SavedReport[] }, { projectId: string }>(
  "ProjectReports",
  `query ProjectReports($projectId: ID!) { reports(projectId: $projectId) { ${reportFields} } }`,
);

export const DeleteReport = operation<{ deleteReport: boolean }, { id: string }>(
  "DeleteReport",
  `mutation DeleteReport($id: ID!) { deleteReport(id: $id) }`,
);

/** A report's place on a dashboard: `width` columns of 12 and `height` rows, both 1 to 12. */
export interface DashboardItem {
  position: number;
  width: number;
  height: number;
  report: SavedReport;
}

export interface Dashboard {
  id: string;
  name: string;
  description: string | null;
  items: DashboardItem[];
  /** The range every report runs over instead of its own (as it was set); null: each report's own. */
  dateRange: ReportRange | null;
  createdAt: string;
  updatedAt: string;
}

const dashboardFields = `id name description dateRange createdAt updatedAt items { position width height report { ${reportFields} } }`;

export const ProjectDashboards = operation<{ dashboards: Dashboard[] }, { projectId: string }>(
  "ProjectDashboards",
  `query ProjectDashboards($projectId: ID!) { dashboards(projectId: $projectId) { ${dashboardFields} } }`,
);

export const DashboardDetail = operation<
  { dashboard: (Dashboard & { project: { id: string; name: string; timezone: string } }) | null },
  { id: string }
>(
  "DashboardDetail",
  `query DashboardDetail($id: ID!) { dashboard(id: $id) { ${dashboardFields} project { id name timezone } } }`,
);

export const CreateDashboard = operation<
  { createDashboard: Dashboard },
  { input: { projectId: string; name: string; description?: string } }
>(
  "CreateDashboard",
  `mutation CreateDashboard($input: CreateDashboardInput!) { createDashboard(input: $input) { ${dashboardFields} } }`,
);

export const UpdateDashboard = operation<
  { updateDashboard: Dashboard },
  {
    input: {
      id: string;
      name?: string;
      description?: string | null;
      dateRange?: ReportRange | null;
      items?: { reportId: string; width: number; height: number }[];
    };
  }
>(
  "UpdateDashboard",
  `mutation UpdateDashboard($input: UpdateDashboardInput!) { updateDashboard(input: $input) { ${dashboardFields} } }`,
);

export const DeleteDashboard = operation<{ deleteDashboard: boolean }, { id: string }>(
  "DeleteDashboard",
  `mutation DeleteDashboard($id: ID!) { deleteDashboard(id: $id) }`,
);

/** A read-only link to a dashboard; its token is shown only when it is created. */
export interface DashboardShare {
  id: string;
  prefix: string;
  allowRangeChange: boolean;
  createdAt: string;
  revokedAt: string | null;
}

const shareFields = "id prefix allowRangeChange createdAt revokedAt";

export const DashboardShares = operation<{ dashboard: { id: string; shares: DashboardShare[] } | null }, { id: string }>(
  "DashboardShares",
  `query DashboardShares($id: ID!) { dashboard(id: $id) { id shares { ${shareFields} } } }`,
);

export const CreateDashboardShare = operation<
  { createDashboardShare: { token: string; share: DashboardShare } },
  { input: { dashboardId: string; allowRangeChange: boolean } }
>(
  "CreateDashboardShare",
  `mutation CreateDashboardShare($input: CreateDashboardShareInput!) {
    createDashboardShare(input: $input) { token share { ${shareFields} } }
  }`,
);

export const RevokeDashboardShare = operation<{ revokeDashboardShare: DashboardShare }, { id: string }>(
  "RevokeDashboardShare",
  `mutation RevokeDashboardShare($id: ID!) { revokeDashboardShare(id: $id) { ${shareFields} } }`,
);

/** One report of a shared dashboard with its answer: the field of its kind is set. */
export interface SharedDashboardItem {
  position: number;
  width: number;
  height: number;
  name: string;
  kind: ReportKind;
  definition: unknown;
  trends: TrendsResult | null;
  funnel: FunnelResult | null;
  retention: RetentionResult | null;
}

export interface SharedDashboard {
  name: string;
  description: string | null;
  timezone: string;
  dateRange: ReportRange | null;
  allowRangeChange: boolean;
  items: SharedDashboardItem[];
}

/** A dashboard by its share link's token, sent without the session (the link is all a visitor has). The results
 * select what Trends, Funnel and Retention above do (the views draw both): keep them in step. */
export const SharedDashboardByToken = operation<
  { sharedDashboard: SharedDashboard },
  { token: string; range: ReportRange | null }
>(
  "SharedDashboard",
  `query SharedDashboard($token: String!, $range: ReportRangeInput) {
    sharedDashboard(token: $token, range: $range) {
      name description timezone dateRange allowRangeChange
      items {
        position width height name kind definition
        trends { dateFrom dateTo series { ${seriesFields} } previous { ${seriesFields} } }
        funnel { steps { ${stepFields} } breakdowns { breakdownValue steps { ${stepFields} } } previous { ${stepFields} } }
        retention { cohorts { start size values } }
      }
    }
  }`,
);
