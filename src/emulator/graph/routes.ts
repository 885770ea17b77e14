import { GRAPH_APP } from "../directory/apps";
import type { DirectoryGroup, DirectoryUser, TenantDirectory } from "../directory/types";
import { header, json, type Router } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { newGuid } from "../ids";
import type { StateStore } from "../state";
import { audiencesOf, bearerToken, type AccessTokenClaims, type TokenService } from "../entra/tokens";
import {
  GraphQueryError,
  parseSelect,
  project,
  runCollection,
  type CollectionItem,
  type CollectionSpec,
} from "./query";
import {
  DIRECTORY_ROLE_DEFAULT,
  GROUP_DEFAULT,
  USER_BASIC,
  USER_DEFAULT,
  directoryRoleProperties,
  groupProperties,
  organizationObject,
  skuObject,
  userProperties,
  type GraphObject,
} from "./shapes";

/**
 * Microsoft Graph v1.0 subset: /me, /me/transitiveMemberOf, /users, /groups, /groups/{id}/members,
 * /organization, /subscribedSkus. Tokens must be Graph tokens of a known tenant; each call checks
 * the least-privilege permissions of m365-hosts-auth.md §4 (delegated `scp` or app `roles`).
 */

export interface GraphContext {
  state: StateStore;
  tokens: TokenService;
  now: () => number;
}

interface Caller {
  claims: AccessTokenClaims;
  tenant: TenantDirectory;
  permissions: Set<string>;
  delegated: boolean;
  me?: DirectoryUser;
}

class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function graphError(ctx: GraphContext, req: EmulatorRequest, f: GraphFailure): EmulatorResponse {
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
} as const;

function has(caller: Caller, allowed: readonly string[]): boolean {
  return allowed.some((p) => caller.permissions.has(p.toLowerCase()));
}

function demand(caller: Caller, allowed: readonly string[]): void {
  if (!has(caller, allowed))
    throw new GraphFailure(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

function authenticate(ctx: GraphContext, req: EmulatorRequest): Caller {
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
): EmulatorResponse {
  const select = parseSelect(req, {
    typeName: "microsoft.graph.user",
    known: Object.keys(props),
    ...(readable ? { readable } : {}),
  });
  const fields = select ?? defaults;
  const body = project({ props, odataType: "" }, fields, false);
  const context =
    select === undefined
      ? metadataUrl(req, `${entitySet}/$entity`)
      : metadataUrl(req, `${entitySet}(${select.join(",")})/$entity`);
  return json(200, { "@odata.context": context, ...body });
}

function handlers(): Record<string, (req: EmulatorRequest, caller: Caller) => EmulatorResponse> {
  const memberOf = (req: EmulatorRequest, caller: Caller, cast?: string): EmulatorResponse => {
    const me = requireMe(caller);
    demand(caller, PERMS.me);
    const canReadGroups = has(caller, PERMS.groups);
    const roles: CollectionItem[] = me.roles.map((r) => ({
      props: directoryRoleProperties(caller.tenant, r),
      odataType: "#microsoft.graph.directoryRole",
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
    });
  };
  return {
    me: (req, caller) => {
      const me = requireMe(caller);
      demand(caller, PERMS.me);
      return singleEntity(req, "users", userProperties(me), USER_DEFAULT);
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
      const props = userProperties(user);
      const res = singleEntity(req, "users", props, USER_DEFAULT, readable);
      if (readable !== undefined && req.query.get("$select") === null) {
        // Without User.Read.All the non-basic default properties are not returned.
        const body = JSON.parse(res.body) as GraphObject;
        for (const k of Object.keys(body)) if (!k.startsWith("@") && !readable.includes(k)) body[k] = null;
        res.body = JSON.stringify(body);
      }
      return res;
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
        },
      );
    },
    group: (req, caller) => {
      const group = requireGroup(req, caller);
      return singleEntity(req, "groups", groupProperties(group), GROUP_DEFAULT);
    },
    members: (req, caller) => {
      const group = requireGroup(req, caller);
      const canReadUsers = has(caller, PERMS.usersBasic);
      const items: CollectionItem[] = group.members.flatMap((m) => {
        const u = caller.tenant.users.find((x) => x.id === m);
        if (u !== undefined) return [userItem(u, !canReadUsers)];
        const g = caller.tenant.groups.find((x) => x.id === m);
        return g === undefined ? [] : [groupItem(g)];
      });
      return collection(req, items, {
        typeName: "microsoft.graph.directoryObject",
        resourceName: "DirectoryObject",
        defaultSelect: [...new Set([...USER_DEFAULT, "mailEnabled", "securityEnabled", "groupTypes"])],
        ...(has(caller, PERMS.usersFull)
          ? {}
          : { readable: [...USER_BASIC, "mailEnabled", "securityEnabled", "groupTypes", "mailNickname"] }),
        filterable: ["id", "displayName", "mail", "userPrincipalName"],
        searchable: USER_SEARCHABLE,
        mixed: true,
        contextBase: metadataUrl(req, "directoryObjects"),
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
        throw new GraphFailure(400, "Request_BadRequest", "Count is not currently supported.");
      }
      return {
        status: 200,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: String(caller.tenant.users.length),
      };
    },
  };
}

export function addGraphRoutes(router: Router, ctx: GraphContext): void {
  const h = handlers();
  const wrap =
    (fn: (req: EmulatorRequest, caller: Caller) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      try {
        const caller = authenticate(ctx, req);
        return fn(req, caller);
      } catch (e) {
        if (e instanceof GraphFailure) return graphError(ctx, req, e);
        if (e instanceof GraphQueryError) return graphError(ctx, req, new GraphFailure(e.status, e.code, e.message));
        throw e;
      }
    };
  router
    .add("GET", "/v1.0/me", wrap(h.me!))
    .add("GET", "/v1.0/me/transitiveMemberOf", wrap(h.memberOf!))
    .add("GET", "/v1.0/me/transitiveMemberOf/:cast", wrap(h.memberOfCast!))
    .add("GET", "/v1.0/users", wrap(h.users!))
    .add("GET", "/v1.0/users/$count", wrap(h.usersCount!))
    .add("GET", "/v1.0/users/:id", wrap(h.user!))
    .add("GET", "/v1.0/groups", wrap(h.groups!))
    .add("GET", "/v1.0/groups/:id", wrap(h.group!))
    .add("GET", "/v1.0/groups/:id/members", wrap(h.members!))
    .add("GET", "/v1.0/organization", wrap(h.organization!))
    .add("GET", "/v1.0/subscribedSkus", wrap(h.subscribedSkus!));
  // Anything else under /v1.0: Graph answers 400 for a segment it does not know.
  router.add("GET", "/v1.0/*", (req) =>
    graphError(
      ctx,
      req,
      new GraphFailure(
        400,
        "BadRequest",
        `Resource not found for the segment '${req.params["*"]?.split("/")[0] ?? ""}'.`,
      ),
    ),
  );
}

export function isGraphPath(path: string): boolean {
  return /^\/v1\.0(\/|$)/i.test(path);
}
