import { ROLE_TEMPLATE_IDS } from "../directory/types";
import { json, type Router } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { base64url } from "../ids";
import { authenticate, graphError, GraphFailure, type Caller, type GraphContext } from "./routes";
import { ROLE_DEFINITION_IDS } from "./shapes";

/**
 * Microsoft Graph v1.0 directory role assignments (unifiedRoleAssignment), tenant-wide scope only:
 * - Create (https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignments): `POST
 *   /roleManagement/directory/roleAssignments` with `principalId`, `roleDefinitionId`, `directoryScopeId`;
 *   permission RoleManagement.ReadWrite.Directory (delegated and application); delegated callers need a
 *   supported Entra role, "Privileged Role Administrator is the least privileged role supported for this
 *   operation" (Global Administrator too); 201 Created with the unifiedRoleAssignment.
 * - List (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments): `$filter` on
 *   principalId or roleDefinitionId (eq) is required; RoleManagement.Read.Directory and higher.
 * The principal may be a user or a service principal of the tenant; a service principal's roles go into
 * the `wids` of its next app-only tokens, which Exchange Online's RBAC reads (exchange/permissions.ts).
 * Wordings marked [emulator] are not confirmed.
 */

export const ROLE_ASSIGNMENTS_PATH = "/v1.0/roleManagement/directory/roleAssignments";

/** Privileged Role Administrator (Entra built-in roles reference). */
export const PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";

const READ = [
  "RoleManagement.Read.Directory",
  "RoleManagement.ReadWrite.Directory",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];
const WRITE = ["RoleManagement.ReadWrite.Directory"];

function has(caller: Caller, allowed: readonly string[]): boolean {
  return allowed.some((p) => caller.permissions.has(p.toLowerCase()));
}

function denied(): GraphFailure {
  return new GraphFailure(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

/** An assignment's id: Graph's are opaque strings built from the role and the principal. */
function assignmentId(roleDefinitionId: string, principalId: string): string {
  return `${base64url(Buffer.from(roleDefinitionId.replace(/-/g, ""), "hex"))}${base64url(Buffer.from(principalId.replace(/-/g, ""), "hex"))}-1`;
}

interface Assignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

function assignments(caller: Caller): Assignment[] {
  const t = caller.tenant;
  const of = (principalId: string, roles: readonly string[]): Assignment[] =>
    roles.map((r) => ({ id: assignmentId(r, principalId), principalId, roleDefinitionId: r, directoryScopeId: "/" }));
  return [...t.users.flatMap((u) => of(u.id, u.roles)), ...t.servicePrincipals.flatMap((s) => of(s.id, s.roles))];
}

function create(req: EmulatorRequest, caller: Caller): EmulatorResponse {
  if (!has(caller, WRITE)) throw denied();
  if (caller.me !== undefined) {
    const roles = caller.me.roles;
    if (!roles.includes(PRIVILEGED_ROLE_ADMINISTRATOR) && !roles.includes(ROLE_TEMPLATE_IDS.globalAdministrator))
      throw denied();
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.rawBody) as Record<string, unknown>;
  } catch {
    throw new GraphFailure(
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
  const principalId = typeof body.principalId === "string" ? body.principalId.toLowerCase() : "";
  const roleDefinitionId = typeof body.roleDefinitionId === "string" ? body.roleDefinitionId.toLowerCase() : "";
  const scope = body.directoryScopeId;
  if (scope !== "/") {
    // [emulator] only tenant-wide assignments are modelled.
    throw new GraphFailure(
      400,
      "Request_BadRequest",
      "The emulator supports directoryScopeId '/' (the whole tenant) only.",
    );
  }
  if (!ROLE_DEFINITION_IDS.includes(roleDefinitionId)) {
    throw new GraphFailure(
      404,
      "Request_ResourceNotFound",
      `Resource '${roleDefinitionId}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  const user = caller.tenant.users.find((u) => u.id === principalId);
  const sp = caller.tenant.servicePrincipals.find((s) => s.id === principalId);
  const principal = user ?? sp;
  if (principal === undefined) {
    throw new GraphFailure(
      404,
      "Request_ResourceNotFound",
      `Resource '${principalId}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  if (principal.roles.includes(roleDefinitionId)) {
    throw new GraphFailure(
      400,
      "Request_BadRequest",
      "A conflicting object with one or more of the specified property values is present in the directory.",
    );
  }
  principal.roles.push(roleDefinitionId);
  return json(201, {
    "@odata.context": `${req.origin}/v1.0/$metadata#roleManagement/directory/roleAssignments/$entity`,
    id: assignmentId(roleDefinitionId, principalId),
    principalId,
    roleDefinitionId,
    directoryScopeId: "/",
  });
}

function list(req: EmulatorRequest, caller: Caller): EmulatorResponse {
  if (!has(caller, READ)) throw denied();
  const filter = req.query.get("$filter") ?? "";
  const m = /^\s*(principalId|roleDefinitionId)\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (m === null) {
    // The list call requires a filter on principalId or roleDefinitionId [emulator wording].
    throw new GraphFailure(400, "Request_BadRequest", "A filter on principalId or roleDefinitionId (eq) is required.");
  }
  const key = m[1]!.toLowerCase() === "principalid" ? "principalId" : "roleDefinitionId";
  const value = m[2]!.toLowerCase();
  return json(200, {
    "@odata.context": `${req.origin}/v1.0/$metadata#roleManagement/directory/roleAssignments`,
    value: assignments(caller).filter((a) => a[key] === value),
  });
}

export function addRoleAssignmentRoutes(router: Router, ctx: GraphContext): void {
  const route =
    (fn: (req: EmulatorRequest, caller: Caller) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      try {
        const res = fn(req, authenticate(ctx, req));
        if (req.method === "POST") ctx.state.changed();
        return res;
      } catch (e) {
        if (e instanceof GraphFailure) return graphError(ctx, req, e);
        throw e;
      }
    };
  router.add("POST", ROLE_ASSIGNMENTS_PATH, route(create)).add("GET", ROLE_ASSIGNMENTS_PATH, route(list));
}
