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
