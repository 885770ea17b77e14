import { json, type Router } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { sendActivityNotification, type FeedTarget } from "../teams/activityFeed";
import {
  findApp,
  findTeam,
  findUser,
  install,
  teamsOf,
  type AppInstallation,
  type CatalogApp,
  type TeamsTenantState,
} from "../teams/state";
import { authenticate, graphError, GraphFailure, type Caller, type GraphContext } from "./routes";

/**
 * Microsoft Graph v1.0 Teams paths: the activity feed (teams/activityFeed.ts) and installed apps.
 * Installed apps, minimal: list and add for a user (https://learn.microsoft.com/graph/api/userteamwork-list-installedapps,
 * …/userteamwork-post-installedapps) and a team (…/team-list-installedapps, …/team-post-installedapps); add takes
 * `teamsApp@odata.bind` = `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}` and answers 201 (an
 * installation that exists: 409 [emulator] wording). Registered before the Graph catch-all.
 */

const INSTALLED_APPS = {
  userRead: {
    delegated: ["TeamsAppInstallation.ReadForUser", "TeamsAppInstallation.ReadWriteForUser"],
    app: ["TeamsAppInstallation.ReadForUser.All", "TeamsAppInstallation.ReadWriteForUser.All"],
  },
  userWrite: {
    delegated: ["TeamsAppInstallation.ReadWriteForUser"],
    app: ["TeamsAppInstallation.ReadWriteForUser.All"],
  },
  teamRead: {
    delegated: ["TeamsAppInstallation.ReadForTeam", "TeamsAppInstallation.ReadWriteForTeam"],
    app: ["TeamsAppInstallation.ReadForTeam.All", "TeamsAppInstallation.ReadWriteForTeam.All"],
  },
  teamWrite: {
    delegated: ["TeamsAppInstallation.ReadWriteForTeam"],
    app: ["TeamsAppInstallation.ReadWriteForTeam.All"],
  },
} as const;

function demand(caller: Caller, perms: { delegated: readonly string[]; app: readonly string[] }): void {
  const allowed = caller.delegated ? perms.delegated : perms.app;
  if (!allowed.some((p) => caller.permissions.has(p.toLowerCase()))) {
    throw new GraphFailure(403, "Forbidden", "Insufficient privileges to complete the operation.");
  }
}

function notFound(id: string): GraphFailure {
  return new GraphFailure(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function parseBody(req: EmulatorRequest): unknown {
  if (req.rawBody.trim() === "") return undefined;
  try {
    return JSON.parse(req.rawBody) as unknown;
  } catch {
    throw new GraphFailure(
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
}

function tenantOf(ctx: GraphContext, caller: Caller): { directory: Caller["tenant"]; teams?: TeamsTenantState } {
  // The Teams state lives on the tenant record (tenant.ts); the caller's tenant comes from its token.
  const record = ctx.state.getTenant(caller.tenant.tenantId);
  if (record === undefined) throw new GraphFailure(401, "InvalidAuthenticationToken", "Invalid tenant.");
  return record;
}

function installationJson(
  req: EmulatorRequest,
  i: AppInstallation,
  app: CatalogApp | undefined,
): Record<string, unknown> {
  const expand = (req.query.get("$expand") ?? "").split(",").map((s) => s.trim());
  const out: Record<string, unknown> = { id: i.id };
  if (expand.includes("teamsApp") && app !== undefined) {
    out.teamsApp = {
      id: app.id,
      externalId: app.externalId,
      displayName: app.displayName,
      distributionMethod: "organization",
    };
  }
  if (expand.includes("teamsAppDefinition") && app !== undefined) {
    out.teamsAppDefinition = {
      id: `${app.id}-${app.version}`,
      teamsAppId: app.id,
      displayName: app.displayName,
      version: app.version,
    };
  }
  return out;
}

function listInstalled(
  req: EmulatorRequest,
  state: TeamsTenantState,
  scope: "user" | "team",
  targetId: string,
  context: string,
): EmulatorResponse {
  const value = state.installations
    .filter((i) => i.scope === scope && i.targetId === targetId)
    .map((i) =>
      installationJson(
        req,
        i,
        state.apps.find((a) => a.id === i.teamsAppId),
      ),
    );
  return json(200, { "@odata.context": `${req.origin}/v1.0/$metadata#${context}`, value });
}

function addInstalled(
  req: EmulatorRequest,
  state: TeamsTenantState,
  scope: "user" | "team",
  targetId: string,
): EmulatorResponse {
  const body = parseBody(req) as Record<string, unknown> | undefined;
  const bind = body?.["teamsApp@odata.bind"];
  const m = typeof bind === "string" ? /\/appCatalogs\/teamsApps\/([^/?#]+)$/i.exec(bind) : null;
  if (m?.[1] === undefined) {
    throw new GraphFailure(
      400,
      "BadRequest",
      "Invalid request body: 'teamsApp@odata.bind' must name /appCatalogs/teamsApps/{id}.",
    );
  }
  const app = findApp(state, decodeURIComponent(m[1]));
  if (app === undefined)
    throw new GraphFailure(404, "NotFound", `Teams app '${m[1]}' was not found in the app catalog.`); // [emulator]
  if (state.installations.some((i) => i.teamsAppId === app.id && i.scope === scope && i.targetId === targetId)) {
    throw new GraphFailure(409, "Conflict", "The app is already installed."); // [emulator]
  }
  const i = install(state, app, scope, targetId);
  return json(201, { id: i.id });
}

export function addTeamworkRoutes(router: Router, ctx: GraphContext): void {
  const route =
    (fn: (req: EmulatorRequest, caller: Caller) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      try {
        return fn(req, authenticate(ctx, req));
      } catch (e) {
        if (e instanceof GraphFailure) return graphError(ctx, req, e);
        throw e;
      }
    };
  const send = (target: (req: EmulatorRequest) => FeedTarget, status: 202 | 204) =>
    route((req, caller) => {
      const tenant = tenantOf(ctx, caller);
      sendActivityNotification(tenant, caller, target(req), parseBody(req), new Date(ctx.now()), req.path);
      ctx.state.changed();
      return { status, headers: {}, body: "" };
    });
  const userOf = (req: EmulatorRequest, caller: Caller): string => {
    const user = findUser(caller.tenant, req.params.id ?? "");
    if (user === undefined) throw notFound(req.params.id ?? "");
    return user.id;
  };
  const teamOf = (req: EmulatorRequest, state: TeamsTenantState): string => {
    const team = findTeam(state, req.params.id ?? "");
    if (team === undefined)
      throw new GraphFailure(404, "NotFound", `No team found with Group Id ${req.params.id ?? ""}`); // [emulator]
    return team.id;
  };
  router
    .add(
      "POST",
      "/v1.0/users/:id/teamwork/sendActivityNotification",
      send((req) => ({ kind: "user", userIdOrUpn: req.params.id ?? "" }), 204),
    )
    .add(
      "POST",
      "/v1.0/teams/:id/sendActivityNotification",
      send((req) => ({ kind: "team", teamId: req.params.id ?? "" }), 204),
    )
    .add(
      "POST",
      "/v1.0/teamwork/sendActivityNotificationToRecipients",
      send(() => ({ kind: "recipients" }), 202),
    )
    .add(
      "GET",
      "/v1.0/users/:id/teamwork/installedApps",
      route((req, caller) => {
        demand(caller, INSTALLED_APPS.userRead);
        const id = userOf(req, caller);
        return listInstalled(req, teamsOf(tenantOf(ctx, caller)), "user", id, `users('${id}')/teamwork/installedApps`);
      }),
    )
    .add(
      "POST",
      "/v1.0/users/:id/teamwork/installedApps",
      route((req, caller) => {
        demand(caller, INSTALLED_APPS.userWrite);
        const res = addInstalled(req, teamsOf(tenantOf(ctx, caller)), "user", userOf(req, caller));
        ctx.state.changed();
        return res;
      }),
    )
    .add(
      "GET",
      "/v1.0/teams/:id/installedApps",
      route((req, caller) => {
        demand(caller, INSTALLED_APPS.teamRead);
        const state = teamsOf(tenantOf(ctx, caller));
        const id = teamOf(req, state);
        return listInstalled(req, state, "team", id, `teams('${id}')/installedApps`);
      }),
    )
    .add(
      "POST",
      "/v1.0/teams/:id/installedApps",
      route((req, caller) => {
        demand(caller, INSTALLED_APPS.teamWrite);
        const state = teamsOf(tenantOf(ctx, caller));
        const res = addInstalled(req, state, "team", teamOf(req, state));
        ctx.state.changed();
        return res;
      }),
    );
}
