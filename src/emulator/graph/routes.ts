import { GRAPH_APP } from "../directory/apps";
import type { DirectoryGroup, DirectoryUser, TenantDirectory } from "../directory/types";
import { header, json, type Router } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { newGuid } from "../ids";
import type { StateStore } from "../state";
import { audiencesOf, bearerToken, type AccessTokenClaims, type TokenService } from "../entra/tokens";
import { expandContext, expandInto, parseExpand, type ExpandSpec, type Navigation } from "./expand";
import { metadataLevel, withMetadataLevel } from "./metadata";
import {
  GraphQueryError,
  parseSelect,
  project,
  runCollection,
  type CollectionItem,
  type CollectionSpec,
} from "./query";
import { normalizeQueryOptions, validateQueryOptions } from "./queryOptions";
import {
  DIRECTORY_ROLE_DEFAULT,
  GROUP_DEFAULT,
  LICENSE_DETAILS_DEFAULT,
  ROLE_DEFINITION_DEFAULT,
  ROLE_DEFINITION_IDS,
  USER_BASIC,
  USER_DEFAULT,
  directoryRoleProperties,
  groupProperties,
  licenseDetailsObject,
  organizationObject,
  roleDefinitionObject,
  skuObject,
  tenantInformationObject,
  userProperties,
  type GraphObject,
} from "./shapes";

/**
 * Microsoft Graph v1.0 subset: /me, /me/transitiveMemberOf, /users, /groups, /groups/{id}/members,
 * /groups/{id}/owners, /users/{id}/getMemberGroups, /users/{id}/licenseDetails, /organization, /subscribedSkus,
 * /roleManagement/directory/roleDefinitions, /tenantRelationships/findTenantInformationByDomainName. Tokens must
 * be Graph tokens of a known tenant; each call checks the least-privilege permissions of m365-hosts-auth.md §4
 * or of the API's own page (delegated `scp` or app `roles`). Query options: queryOptions.ts, query.ts,
 * orderby.ts, expand.ts, metadata.ts. Paths and methods it does not serve answer in Graph's error shape.
 */

export interface GraphContext {
  state: StateStore;
  tokens: TokenService;
  now: () => number;
}

export interface Caller {
  claims: AccessTokenClaims;
  tenant: TenantDirectory;
  permissions: Set<string>;
  delegated: boolean;
  me?: DirectoryUser;
}

export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphError(ctx: GraphContext, req: EmulatorRequest, f: GraphFailure): EmulatorResponse {
  const requestId = newGuid();
  return json(
    f.status,
    {
      error: {
        code: f.code,
        message: f.message,
        innerError: {
          date: new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, ""),
          "request-id": requestId,
          "client-request-id": header(req, "client-request-id") ?? requestId,
        },
      },
    },
    { "request-id": requestId, ...f.headers },
  );
}

const PERMS = {
  me: [
    "User.Read",
    "User.ReadWrite",
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  usersBasic: [
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  usersFull: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  groups: [
    "GroupMember.Read.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  organization: ["User.Read", "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All"],
  organizationApp: ["Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All"],
  skus: ["LicenseAssignment.Read.All", "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All"],
  /**
   * Reading directoryRole objects: RoleManagement.Read.Directory is the least privilege (List members
   * of a directory role / Get directoryRole, https://learn.microsoft.com/graph/api/directoryrole-get).
   * Without one of these, /me/transitiveMemberOf still lists the roles (User.Read suffices for the
   * call) but each one "with limited information": only @odata.type and id, no roleTemplateId
   * (https://learn.microsoft.com/graph/api/user-list-transitivememberof, "Important" note).
   */
  directoryRoles: [
    "RoleManagement.Read.Directory",
    "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  /**
   * List licenseDetails (https://learn.microsoft.com/graph/api/user-list-licensedetails, permissions table):
   * delegated LicenseAssignment.Read.All (least), Directory.Read.All, Directory.ReadWrite.All, User.Read.All,
   * User.ReadWrite.All; User.Read for the signed-in user's own; application: "Not supported."
   */
  licenseDetails: [
    "LicenseAssignment.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "User.Read.All",
    "User.ReadWrite.All",
  ],
  /** directoryObject: getMemberGroups (…/graph/api/directoryobject-getmembergroups): a user read AND a group read permission, or Directory.Read.All. */
  memberGroupsGroupRead: ["GroupMember.Read.All", "Group.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All"],
  directory: ["Directory.Read.All", "Directory.ReadWrite.All"],
  /** findTenantInformationByDomainName: CrossTenantInformation.ReadBasic.All, delegated and application, nothing else. */
  crossTenant: ["CrossTenantInformation.ReadBasic.All"],
} as const;

function has(caller: Caller, allowed: readonly string[]): boolean {
  return allowed.some((p) => caller.permissions.has(p.toLowerCase()));
}

function demand(caller: Caller, allowed: readonly string[]): void {
  if (!has(caller, allowed))
    throw new GraphFailure(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

export function authenticate(ctx: GraphContext, req: EmulatorRequest): Caller {
  const challenge = {
    "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP.appId}"`,
  };
  const auth = header(req, "authorization");
  const token = bearerToken(auth);
  if (auth !== undefined && token === undefined) {
    throw new GraphFailure(
      401,
      "InvalidAuthenticationToken",
      "IDX14100: JWT is not well formed, there are no dots (.).",
      challenge,
    );
  }
  const verified = ctx.tokens.verifyAccessToken(token, { audience: audiencesOf(GRAPH_APP) });
  if (!verified.ok) throw new GraphFailure(401, "InvalidAuthenticationToken", verified.message, challenge);
  const claims = verified.claims;
  const tenantRecord = ctx.state.getTenant(claims.tid);
  if (tenantRecord === undefined)
    throw new GraphFailure(401, "InvalidAuthenticationToken", "Invalid tenant.", challenge);
  const delegated = claims.idtyp === "user";
  const list = delegated ? (claims.scp ?? "").split(" ") : (claims.roles ?? []);
  const caller: Caller = {
    claims,
    tenant: tenantRecord.directory,
    permissions: new Set(list.filter((s) => s !== "").map((s) => s.toLowerCase())),
    delegated,
  };
  if (delegated) {
    const me = tenantRecord.directory.users.find((u) => u.id === claims.oid);
    if (me === undefined)
      throw new GraphFailure(401, "InvalidAuthenticationToken", "The user in the token does not exist.", challenge);
    caller.me = me;
  }
  return caller;
}

function requireMe(caller: Caller): DirectoryUser {
  if (caller.me === undefined) {
    throw new GraphFailure(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
  }
  return caller.me;
}

function notFound(id: string): GraphFailure {
  return new GraphFailure(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

const USER_FILTERABLE = [
  "id",
  "userPrincipalName",
  "mail",
  "displayName",
  "givenName",
  "surname",
  "usageLocation",
  "country",
  "userType",
  "accountEnabled",
  "jobTitle",
  "mailNickname",
  "proxyAddresses",
];
const USER_SEARCHABLE = ["displayName", "mail", "userPrincipalName", "givenName", "surname", "mailNickname"];
const GROUP_FILTERABLE = [
  "id",
  "displayName",
  "mail",
  "mailNickname",
  "mailEnabled",
  "securityEnabled",
  "groupTypes",
  "proxyAddresses",
];
const GROUP_SEARCHABLE = ["displayName", "mail", "mailNickname", "description"];

function userItem(u: DirectoryUser, limited = false): CollectionItem {
  return { props: userProperties(u), odataType: "#microsoft.graph.user", limited };
}

function groupItem(g: DirectoryGroup, limited = false): CollectionItem {
  return { props: groupProperties(g), odataType: "#microsoft.graph.group", limited };
}

function userReadable(caller: Caller, user: DirectoryUser): string[] | undefined {
  if (caller.me?.id === user.id || has(caller, PERMS.usersFull)) return undefined;
  return USER_BASIC;
}

/** A user by object id or UPN. */
function findUser(tenant: TenantDirectory, idOrUpn: string): DirectoryUser | undefined {
  const key = idOrUpn.toLowerCase();
  return tenant.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
}

/** Groups the object is a member of, directly or through other groups. */
function transitiveGroups(tenant: TenantDirectory, objectId: string): DirectoryGroup[] {
  const found = new Map<string, DirectoryGroup>();
  const queue = [objectId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const g of tenant.groups) {
      if (g.members.includes(id) && !found.has(g.id)) {
        found.set(g.id, g);
        queue.push(g.id);
      }
    }
  }
  return [...found.values()];
}

/** The "@odata.context" URL of a v1.0 resource, e.g. "users" or "groups/$entity". */
function metadataUrl(req: EmulatorRequest, fragment: string): string {
  return `${req.origin}/v1.0/$metadata#${fragment}`;
}

/** 200 with one page of `items` after the request's $filter, $search, $select, $top and $count. */
function collection(req: EmulatorRequest, items: CollectionItem[], spec: CollectionSpec): EmulatorResponse {
  return json(200, runCollection(req, items, spec));
}

/** The group /groups/{id} names; demands a group read permission first, as Graph does. */
function requireGroup(req: EmulatorRequest, caller: Caller): DirectoryGroup {
  demand(caller, PERMS.groups);
  const id = (req.params.id ?? "").toLowerCase();
  const group = caller.tenant.groups.find((g) => g.id === id);
  if (group === undefined) throw notFound(req.params.id ?? "");
  return group;
}

function singleEntity(
  req: EmulatorRequest,
  entitySet: string,
  props: GraphObject,
  defaults: string[],
  readable?: string[],
  expandSpec?: ExpandSpec,
): EmulatorResponse {
  const typeName = entitySet === "groups" ? "microsoft.graph.group" : "microsoft.graph.user";
  const select = parseSelect(req, {
    typeName,
    known: Object.keys(props),
    ...(readable ? { readable } : {}),
  });
  const expand = parseExpand(req.query.get("$expand"), typeName, expandSpec);
  const fields = select ?? defaults;
  const item: CollectionItem = { props, odataType: `#${typeName}` };
  const body = project(item, fields, false);
  if (readable !== undefined && select === undefined) {
    // Without User.Read.All the non-basic default properties are not returned.
    for (const k of Object.keys(body)) if (!readable.includes(k)) body[k] = null;
  }
  expandInto(body, item, expand);
  const contextSelect = [...(select ?? []), ...expandContext(expand)];
  const context =
    contextSelect.length === 0
      ? metadataUrl(req, `${entitySet}/$entity`)
      : metadataUrl(req, `${entitySet}(${contextSelect.join(",")})/$entity`);
  return json(200, { "@odata.context": context, ...body });
}

/** The default properties of a related object in an `$expand`, by its type. */
function relatedDefaults(caller: Caller): (item: CollectionItem) => string[] {
  return (item) =>
    item.odataType === "#microsoft.graph.group"
      ? GROUP_DEFAULT
      : item.odataType === "#microsoft.graph.directoryRole"
        ? DIRECTORY_ROLE_DEFAULT
        : // Without User.Read.All only the basic profile of other users is readable.
          has(caller, PERMS.usersFull)
          ? USER_DEFAULT
          : USER_BASIC;
}

/** Groups (and, for users, activated directory roles) the object is a direct member of (Graph `memberOf`). */
function directMemberOf(caller: Caller, objectId: string): CollectionItem[] {
  const canReadGroups = has(caller, PERMS.groups);
  const canReadRoles = has(caller, PERMS.directoryRoles);
  const groups = caller.tenant.groups
    .filter((g) => g.members.includes(objectId))
    .map((g) => groupItem(g, !canReadGroups));
  const user = caller.tenant.users.find((u) => u.id === objectId);
  const roles = (user?.roles ?? []).map((r) => ({
    props: directoryRoleProperties(caller.tenant, r),
    odataType: "#microsoft.graph.directoryRole",
    limited: !canReadRoles,
  }));
  return [...groups, ...roles];
}

/** The `memberOf` navigation users and groups both have in `$expand`. */
function memberOfNavigation(caller: Caller, defaults: Navigation["defaultSelect"]): Navigation {
  return {
    name: "memberOf",
    many: true,
    related: (item) => directMemberOf(caller, String(item.props.id)),
    defaultSelect: defaults,
  };
}

/** Users of the tenant by object id, as items the caller may or may not read in full. */
function userItems(caller: Caller, ids: readonly string[]): CollectionItem[] {
  const canReadUsers = has(caller, PERMS.usersBasic);
  return ids.flatMap((id) => {
    const u = caller.tenant.users.find((x) => x.id === id);
    return u === undefined ? [] : [userItem(u, !canReadUsers)];
  });
}

/**
 * `$expand` on users: manager, directReports, memberOf (user resource, relationships). Other navigations of
 * microsoft.graph.user the emulator does not model answer 501 (expand.ts).
 */
function userExpand(caller: Caller): ExpandSpec {
  const t = caller.tenant;
  const defaults = relatedDefaults(caller);
  const navigations: Navigation[] = [
    {
      name: "manager",
      many: false,
      related: (item) => userItems(caller, [t.users.find((u) => u.id === item.props.id)?.managerId ?? ""]),
      defaultSelect: defaults,
    },
    {
      name: "directReports",
      many: true,
      related: (item) =>
        userItems(
          caller,
          t.users.filter((u) => u.managerId === item.props.id).map((u) => u.id),
        ),
      defaultSelect: defaults,
    },
    memberOfNavigation(caller, defaults),
  ];
  return {
    navigations,
    notEmulated: [
      "transitiveMemberOf",
      "ownedObjects",
      "ownedDevices",
      "registeredDevices",
      "createdObjects",
      "licenseDetails",
      "appRoleAssignments",
      "oauth2PermissionGrants",
      "extensions",
      "photo",
      "drive",
      "mailboxSettings",
      "sponsors",
    ],
  };
}

/** `$expand` on groups: members, owners, memberOf (group resource, relationships). */
function groupExpand(caller: Caller): ExpandSpec {
  const t = caller.tenant;
  const defaults = relatedDefaults(caller);
  const byId = (id: unknown): DirectoryGroup | undefined => t.groups.find((g) => g.id === id);
  const navigations: Navigation[] = [
    {
      name: "members",
      many: true,
      related: (item) => memberItems(caller, byId(item.props.id)?.members ?? []),
      defaultSelect: defaults,
    },
    {
      name: "owners",
      many: true,
      related: (item) => userItems(caller, byId(item.props.id)?.owners ?? []),
      defaultSelect: defaults,
    },
    memberOfNavigation(caller, defaults),
  ];
  return {
    navigations,
    notEmulated: [
      "transitiveMembers",
      "transitiveMemberOf",
      "acceptedSenders",
      "rejectedSenders",
      "appRoleAssignments",
      "createdOnBehalfOf",
      "extensions",
      "photo",
      "drive",
      "sites",
      "team",
      "calendar",
      "conversations",
      "threads",
    ],
  };
}

/** Members of a group (users and groups) as items. */
function memberItems(caller: Caller, ids: readonly string[]): CollectionItem[] {
  const canReadUsers = has(caller, PERMS.usersBasic);
  return ids.flatMap((m) => {
    const u = caller.tenant.users.find((x) => x.id === m);
    if (u !== undefined) return [userItem(u, !canReadUsers)];
    const g = caller.tenant.groups.find((x) => x.id === m);
    return g === undefined ? [] : [groupItem(g)];
  });
}

/**
 * `$orderby` (aad-advanced-queries, "Support for sorting by properties of directory objects"): users by
 * displayName and userPrincipalName, groups by displayName by default; createdDateTime / deletedDateTime only in
 * advanced queries; directoryObject relationships by displayName in advanced queries.
 */
const USER_ORDERABLE = {
  byDefault: ["displayName", "userPrincipalName"],
  advanced: ["createdDateTime", "deletedDateTime"],
};
const GROUP_ORDERABLE = { byDefault: ["displayName"], advanced: ["deletedDateTime"] };
const RELATIONSHIP_ORDERABLE = { byDefault: [], advanced: ["displayName"] };

/**
 * What a group's members and owners listings share: both are directoryObject collections (`@odata.type` on
 * each item), filtered, searched and sorted on the same properties; only their defaults and readable
 * properties differ.
 */
function groupRelationshipSpec(req: EmulatorRequest): Omit<CollectionSpec, "defaultSelect" | "readable" | "expand"> {
  return {
    typeName: "microsoft.graph.directoryObject",
    resourceName: "DirectoryObject",
    filterable: ["id", "displayName", "mail", "userPrincipalName"],
    searchable: USER_SEARCHABLE,
    mixed: true,
    contextBase: metadataUrl(req, "directoryObjects"),
    orderable: RELATIONSHIP_ORDERABLE,
  };
}

function handlers(ctx: GraphContext): Record<string, (req: EmulatorRequest, caller: Caller) => EmulatorResponse> {
  const memberOf = (req: EmulatorRequest, caller: Caller, cast?: string): EmulatorResponse => {
    const me = requireMe(caller);
    demand(caller, PERMS.me);
    const canReadGroups = has(caller, PERMS.groups);
    const canReadRoles = has(caller, PERMS.directoryRoles);
    const roles: CollectionItem[] = me.roles.map((r) => ({
      props: directoryRoleProperties(caller.tenant, r),
      odataType: "#microsoft.graph.directoryRole",
      limited: !canReadRoles,
    }));
    const groups = transitiveGroups(caller.tenant, me.id).map((g) => groupItem(g, !canReadGroups));
    let items = [...groups, ...roles];
    let contextBase = metadataUrl(req, "directoryObjects");
    let defaults = [...new Set([...GROUP_DEFAULT, ...DIRECTORY_ROLE_DEFAULT])];
    if (cast !== undefined) {
      const type = cast.toLowerCase();
      if (type !== "microsoft.graph.directoryrole" && type !== "microsoft.graph.group") {
        throw new GraphFailure(400, "BadRequest", `Resource not found for the segment '${cast}'.`);
      }
      items = type === "microsoft.graph.group" ? groups : roles;
      contextBase = metadataUrl(req, type === "microsoft.graph.group" ? "groups" : "directoryRoles");
      defaults = type === "microsoft.graph.group" ? GROUP_DEFAULT : DIRECTORY_ROLE_DEFAULT;
    }
    return collection(req, items, {
      typeName: "microsoft.graph.directoryObject",
      resourceName: "DirectoryObject",
      defaultSelect: defaults,
      filterable: ["id", "displayName", "roleTemplateId", "mailEnabled", "securityEnabled", "groupTypes", "mail"],
      searchable: GROUP_SEARCHABLE,
      mixed: cast === undefined,
      contextBase,
      orderable: RELATIONSHIP_ORDERABLE,
    });
  };
  return {
    me: (req, caller) => {
      const me = requireMe(caller);
      demand(caller, PERMS.me);
      return singleEntity(req, "users", userProperties(me), USER_DEFAULT, undefined, userExpand(caller));
    },
    memberOf: (req, caller) => memberOf(req, caller),
    memberOfCast: (req, caller) => memberOf(req, caller, req.params.cast),
    users: (req, caller) => {
      demand(caller, PERMS.usersBasic);
      const full = has(caller, PERMS.usersFull);
      return collection(
        req,
        caller.tenant.users.map((u) => userItem(u)),
        {
          typeName: "microsoft.graph.user",
          resourceName: "User",
          defaultSelect: USER_DEFAULT,
          ...(full ? {} : { readable: USER_BASIC }),
          filterable: full ? USER_FILTERABLE : USER_FILTERABLE.filter((p) => USER_BASIC.includes(p)),
          searchable: USER_SEARCHABLE,
          mixed: false,
          contextBase: metadataUrl(req, "users"),
          orderable: USER_ORDERABLE,
          expand: userExpand(caller),
        },
      );
    },
    user: (req, caller) => {
      const user = findUser(caller.tenant, req.params.id ?? "");
      if (caller.me?.id !== undefined && user?.id === caller.me.id) {
        demand(caller, PERMS.me);
      } else {
        demand(caller, PERMS.usersBasic);
      }
      if (user === undefined) throw notFound(req.params.id ?? "");
      const readable = userReadable(caller, user);
      return singleEntity(req, "users", userProperties(user), USER_DEFAULT, readable, userExpand(caller));
    },
    groups: (req, caller) => {
      demand(caller, PERMS.groups);
      return collection(
        req,
        caller.tenant.groups.map((g) => groupItem(g)),
        {
          typeName: "microsoft.graph.group",
          resourceName: "Group",
          defaultSelect: GROUP_DEFAULT,
          filterable: GROUP_FILTERABLE,
          searchable: GROUP_SEARCHABLE,
          mixed: false,
          contextBase: metadataUrl(req, "groups"),
          orderable: GROUP_ORDERABLE,
          expand: groupExpand(caller),
        },
      );
    },
    group: (req, caller) => {
      const group = requireGroup(req, caller);
      return singleEntity(req, "groups", groupProperties(group), GROUP_DEFAULT, undefined, groupExpand(caller));
    },
    members: (req, caller) => {
      const group = requireGroup(req, caller);
      return collection(req, memberItems(caller, group.members), {
        ...groupRelationshipSpec(req),
        defaultSelect: [...new Set([...USER_DEFAULT, "mailEnabled", "securityEnabled", "groupTypes"])],
        ...(has(caller, PERMS.usersFull)
          ? {}
          : { readable: [...USER_BASIC, "mailEnabled", "securityEnabled", "groupTypes", "mailNickname"] }),
      });
    },
    /**
     * List group owners (https://learn.microsoft.com/graph/api/group-list-owners): GroupMember.Read.All least
     * privilege, then Group.Read.All, Directory.Read.All …; a directoryObject collection (`@odata.type` on each
     * owner); owners of a type the caller may not read come back with limited information, as for members.
     */
    owners: (req, caller) => {
      const group = requireGroup(req, caller);
      return collection(req, userItems(caller, group.owners ?? []), {
        ...groupRelationshipSpec(req),
        defaultSelect: USER_DEFAULT,
        ...(has(caller, PERMS.usersFull) ? {} : { readable: USER_BASIC }),
      });
    },
    /**
     * directoryObject: getMemberGroups (https://learn.microsoft.com/graph/api/directoryobject-getmembergroups):
     * POST {"securityEnabledOnly": bool}; transitive; `true` = only security groups, `false` = "all groups and
     * directory roles that the entity is a member of"; 200 with `$metadata#Collection(Edm.String)` and the ids.
     * Permissions: a user read permission (User.Read for oneself) and GroupMember.Read.All / Group.Read.All, or
     * Directory.Read.All; application: User.Read.All with GroupMember.Read.All / Group.Read.All, or
     * Directory.Read.All. A missing parameter is OData's "One or more parameters of the operation … are missing
     * from the request payload. The missing parameters are: …" (as Graph answers for assignLicense).
     */
    getMemberGroups: (req, caller) => {
      const target = req.params.id === undefined ? requireMe(caller) : findUser(caller.tenant, req.params.id);
      const self = target !== undefined && target.id === caller.me?.id;
      const userRead = self ? PERMS.me : caller.delegated ? PERMS.usersBasic : PERMS.usersFull;
      if (!has(caller, PERMS.directory) && !(has(caller, userRead) && has(caller, PERMS.memberGroupsGroupRead))) {
        throw new GraphFailure(
          403,
          "Authorization_RequestDenied",
          "Insufficient privileges to complete the operation.",
        );
      }
      if (target === undefined) throw notFound(req.params.id ?? "");
      let body: unknown;
      try {
        body = req.rawBody.trim() === "" ? {} : JSON.parse(req.rawBody);
      } catch {
        throw new GraphFailure(400, "BadRequest", "Invalid JSON. A token was not recognized in the JSON content.");
      }
      const value =
        typeof body === "object" && body !== null ? (body as Record<string, unknown>).securityEnabledOnly : undefined;
      if (value === undefined || value === null) {
        throw new GraphFailure(
          400,
          "Request_BadRequest",
          "One or more parameters of the operation 'getMemberGroups' are missing from the request payload. The missing parameters are: securityEnabledOnly.",
        );
      }
      if (typeof value !== "boolean") {
        throw new GraphFailure(
          400,
          "Request_BadRequest",
          "Cannot convert the literal '" + JSON.stringify(value) + "' to the expected type 'Edm.Boolean'.",
        );
      }
      const groups = transitiveGroups(caller.tenant, target.id).filter((g) => !value || g.securityEnabled);
      const roles = value ? [] : target.roles.map((r) => String(directoryRoleProperties(caller.tenant, r).id));
      return json(200, {
        "@odata.context": metadataUrl(req, "Collection(Edm.String)"),
        value: [...groups.map((g) => g.id), ...roles],
      });
    },
    /** List licenseDetails (…/graph/api/user-list-licensedetails); the shape in shapes.ts. */
    licenseDetails: (req, caller) => {
      const target = req.params.id === undefined ? requireMe(caller) : findUser(caller.tenant, req.params.id);
      const self = target !== undefined && target.id === caller.me?.id;
      demand(
        caller,
        !caller.delegated ? [] : self ? [...PERMS.licenseDetails, "User.Read", "User.ReadWrite"] : PERMS.licenseDetails,
      );
      if (target === undefined) throw notFound(req.params.id ?? "");
      const items = (target.assignedLicenses ?? []).map((l) => ({
        props: licenseDetailsObject(caller.tenant, l),
        odataType: "#microsoft.graph.licenseDetails",
      }));
      return collection(req, items, {
        typeName: "microsoft.graph.licenseDetails",
        resourceName: "LicenseDetails",
        defaultSelect: LICENSE_DETAILS_DEFAULT,
        filterable: [],
        searchable: [],
        mixed: false,
        contextBase: metadataUrl(req, `users('${target.id}')/licenseDetails`),
      });
    },
    /**
     * List roleDefinitions for the directory provider (…/graph/api/rbacapplication-list-roledefinitions):
     * RoleManagement.Read.Directory (least), Directory.Read.All, RoleManagement.ReadWrite.Directory,
     * Directory.ReadWrite.All, delegated and application; `$filter` eq / in on id, displayName, isBuiltIn. The
     * emulator knows the built-in roles of ROLE only (a real tenant lists every built-in role).
     */
    roleDefinitions: (req, caller) => {
      demand(caller, PERMS.directoryRoles);
      const items = ROLE_DEFINITION_IDS.map((id) => ({
        props: roleDefinitionObject(id),
        odataType: "#microsoft.graph.unifiedRoleDefinition",
      }));
      return collection(req, items, {
        typeName: "microsoft.graph.unifiedRoleDefinition",
        resourceName: "UnifiedRoleDefinition",
        defaultSelect: ROLE_DEFINITION_DEFAULT,
        filterable: ["id", "displayName", "isBuiltIn", "templateId"],
        searchable: [],
        mixed: false,
        contextBase: metadataUrl(req, "roleManagement/directory/roleDefinitions"),
        expand: { navigations: [], notEmulated: ["inheritsPermissionsFrom"] },
      });
    },
    /**
     * tenantRelationship: findTenantInformationByDomainName(domainName='…') (…/graph/api/tenantrelationship-
     * findtenantinformationbydomainname): any tenant's public information by one of its domains, so it looks
     * across the emulator's tenants by design. A domain no tenant has: 404 [emulator wording].
     */
    tenantInformation: (req, caller) => {
      const fn = /^findTenantInformationByDomainName\(domainName='((?:[^']|'')*)'\)$/i.exec(req.params.fn ?? "");
      if (fn === null) throw segmentNotFound(req.params.fn ?? "");
      demand(caller, PERMS.crossTenant);
      const domain = fn[1]!.replace(/''/g, "'").toLowerCase();
      const tenant = ctx.state.tenants.find((t) => t.directory.acceptedDomains.some((d) => d.toLowerCase() === domain));
      if (tenant === undefined) throw notFound(domain);
      return json(200, {
        "@odata.context": metadataUrl(req, "microsoft.graph.tenantInformation"),
        ...tenantInformationObject(tenant.directory),
      });
    },
    organization: (req, caller) => {
      demand(caller, caller.delegated ? PERMS.organization : PERMS.organizationApp);
      return json(200, {
        "@odata.context": metadataUrl(req, "organization"),
        value: [organizationObject(caller.tenant)],
      });
    },
    subscribedSkus: (req, caller) => {
      demand(caller, PERMS.skus);
      return json(200, {
        "@odata.context": metadataUrl(req, "subscribedSkus"),
        value: caller.tenant.subscribedSkus.map((s) => skuObject(caller.tenant, s)),
      });
    },
    usersCount: (req, caller) => {
      demand(caller, PERMS.usersBasic);
      if ((header(req, "consistencylevel") ?? "").toLowerCase() !== "eventual") {
        // aad-advanced-queries, "Error handling for advanced queries on directory objects": GET /users/$count
        // without the header answers 400 Request_BadRequest "$count is not currently supported.".
        throw new GraphFailure(400, "Request_BadRequest", "$count is not currently supported.");
      }
      return {
        status: 200,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: String(caller.tenant.users.length),
      };
    },
  };
}

/** Graph v1.0 paths the emulator serves, method and handler; the fallback below names what a miss could not resolve. */
const ROUTES: readonly (readonly [method: string, path: string, handler: string])[] = [
  ["GET", "/v1.0/me", "me"],
  ["GET", "/v1.0/me/transitiveMemberOf", "memberOf"],
  ["GET", "/v1.0/me/transitiveMemberOf/:cast", "memberOfCast"],
  ["GET", "/v1.0/me/licenseDetails", "licenseDetails"],
  ["POST", "/v1.0/me/getMemberGroups", "getMemberGroups"],
  ["GET", "/v1.0/users", "users"],
  ["GET", "/v1.0/users/$count", "usersCount"],
  ["GET", "/v1.0/users/:id", "user"],
  ["GET", "/v1.0/users/:id/licenseDetails", "licenseDetails"],
  ["POST", "/v1.0/users/:id/getMemberGroups", "getMemberGroups"],
  ["GET", "/v1.0/groups", "groups"],
  ["GET", "/v1.0/groups/:id", "group"],
  ["GET", "/v1.0/groups/:id/members", "members"],
  ["GET", "/v1.0/groups/:id/owners", "owners"],
  ["GET", "/v1.0/organization", "organization"],
  ["GET", "/v1.0/subscribedSkus", "subscribedSkus"],
  ["GET", "/v1.0/roleManagement/directory/roleDefinitions", "roleDefinitions"],
  ["GET", "/v1.0/tenantRelationships/:fn", "tenantInformation"],
];

/** Served by graph/messageTraces.ts (registered before these routes); listed so a wrong method there is a 405. */
const OTHER_GRAPH_PATHS = ["/v1.0/admin/exchange/tracing/messageTraces"];

const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function segments(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

/** "Resource not found for the segment 'x'." (400 BadRequest), the answer Graph gives for a path segment it cannot resolve. */
function segmentNotFound(segment: string): GraphFailure {
  return new GraphFailure(400, "BadRequest", `Resource not found for the segment '${segment}'.`);
}

/**
 * Why a v1.0 request matched no route: the first segment no served path knows (Graph names it: "Resource not found
 * for the segment 'owners'.", e.g. microsoftgraph/microsoft-graph-docs-contrib#7414), or a path that exists with
 * another method: 405 `Request_BadRequest` "Specified HTTP method is not allowed for the request target." (the
 * answer in Microsoft's JSON batching example, https://learn.microsoft.com/graph/json-batching).
 */
function unmatched(path: string): GraphFailure {
  const parts = segments(path);
  let resolved = 1;
  for (const template of [...ROUTES.map((r) => r[1]), ...OTHER_GRAPH_PATHS]) {
    const t = segments(template);
    let i = 1;
    while (
      i < t.length &&
      i < parts.length &&
      (t[i]!.startsWith(":") || t[i]!.toLowerCase() === parts[i]!.toLowerCase())
    ) {
      i++;
    }
    if (i === t.length && i === parts.length) {
      return new GraphFailure(
        405,
        "Request_BadRequest",
        "Specified HTTP method is not allowed for the request target.",
      );
    }
    resolved = Math.max(resolved, i);
  }
  const segment = parts[resolved] ?? "";
  try {
    return segmentNotFound(decodeURIComponent(segment));
  } catch {
    return segmentNotFound(segment);
  }
}

export function addGraphRoutes(router: Router, ctx: GraphContext): void {
  const h = handlers(ctx);
  const fail = (req: EmulatorRequest, e: unknown): EmulatorResponse => {
    if (e instanceof GraphFailure) return graphError(ctx, req, e);
    if (e instanceof GraphQueryError) return graphError(ctx, req, new GraphFailure(e.status, e.code, e.message));
    throw e;
  };
  const wrap =
    (fn: (req: EmulatorRequest, caller: Caller) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      try {
        const caller = authenticate(ctx, req);
        const query = normalizeQueryOptions(req.query);
        validateQueryOptions(query, req.query);
        const res = fn({ ...req, query }, caller);
        return withMetadataLevel(res, metadataLevel(header(req, "accept")));
      } catch (e) {
        return fail(req, e);
      }
    };
  for (const [method, path, name] of ROUTES) {
    const fn = h[name];
    if (fn === undefined) throw new Error(`No Graph handler ${name}`);
    router.add(method, path, wrap(fn));
  }
  // Anything else under /v1.0, any method: Graph's error shape naming what it could not resolve (or 405).
  for (const method of ALL_METHODS) {
    router.add(method, "/v1.0/*", (req) => graphError(ctx, req, unmatched(req.path)));
    // The emulator serves v1.0 only. A beta request still needs a valid Graph token (401 otherwise, as Graph),
    // then answers 501 in Graph's error shape instead of a bare 404 [emulator].
    router.add(method, "/beta/*", (req) => {
      try {
        authenticate(ctx, req);
        throw new GraphFailure(
          501,
          "NotImplemented",
          `The emulator implements Microsoft Graph v1.0 only; ${req.method} ${req.path} is not emulated.`,
        );
      } catch (e) {
        return fail(req, e);
      }
    });
  }
}

export function isGraphPath(path: string): boolean {
  return /^\/(v1\.0|beta)(\/|$)/i.test(path);
}
