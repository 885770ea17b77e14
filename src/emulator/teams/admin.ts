import { json, type Router } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import type { StateStore } from "../state";
import type { TenantRecord } from "../tenant";
import {
  findApp,
  findUser,
  install,
  ManifestRejected,
  registerApp,
  teamsOf,
  upsertTeam,
  type CatalogApp,
  type RecordedNotification,
  type TeamChannel,
} from "./state";

/**
 * `/_emulator/` knobs for Teams (tests and demos): upload an app from its manifest and install it, make a
 * team, and read what the activity feed received. Also the seeds `startEmulator({ teams })` applies at
 * start and after every reset, so `npm start` has the product's app installed.
 */

export interface TeamsSeed {
  /** Tenant id or domain. */
  tenant: string;
  /** The rendered Teams app manifest (manifest.json). */
  manifest: unknown;
  /** Install the app personally for these users (UPNs or ids), or every member user of the tenant. */
  installForUsers?: "all" | string[];
  /** A team to create (members: UPNs or ids, or every member user) with the app installed in it. */
  team?: { id: string; displayName: string; channels?: TeamChannel[]; members: "all" | string[] };
}

function memberUsers(tenant: TenantRecord): string[] {
  return tenant.directory.users.filter((u) => u.userType === "Member" && u.password !== undefined).map((u) => u.id);
}

/** Uploads, installs and makes the team of each seed; idempotent. */
export function applyTeamsSeeds(state: StateStore, seeds: readonly TeamsSeed[]): void {
  for (const seed of seeds) {
    const tenant = state.getTenant(seed.tenant);
    if (tenant === undefined) throw new Error(`Teams seed: no tenant '${seed.tenant}' in the emulator`);
    setUp(tenant, seed);
  }
  if (seeds.length > 0) state.changed();
}

function setUp(tenant: TenantRecord, seed: Omit<TeamsSeed, "tenant">): CatalogApp {
  const app = registerApp(tenant, seed.manifest);
  const teams = teamsOf(tenant);
  const users = seed.installForUsers === "all" ? memberUsers(tenant) : (seed.installForUsers ?? []);
  for (const u of users) {
    const user = findUser(tenant.directory, u);
    if (user === undefined) throw new ManifestRejected(`no user '${u}' in ${tenant.directory.initialDomain}`);
    install(teams, app, "user", user.id);
  }
  if (seed.team !== undefined) {
    const team = upsertTeam(tenant, {
      id: seed.team.id,
      displayName: seed.team.displayName,
      ...(seed.team.channels === undefined ? {} : { channels: seed.team.channels }),
      members: seed.team.members === "all" ? memberUsers(tenant) : seed.team.members,
    });
    install(teams, app, "team", team.id);
  }
  return app;
}

function body(req: EmulatorRequest): Record<string, unknown> {
  try {
    const value = JSON.parse(req.rawBody || "{}") as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    throw new ManifestRejected("the body must be JSON");
  }
}

function invalid(message: string): EmulatorResponse {
  return json(400, { code: "invalid_request", message });
}

function notificationView(tenantId: string, n: RecordedNotification): Record<string, unknown> {
  return { tenantId, ...n };
}

export function addTeamsAdminRoutes(router: Router, state: StateStore): void {
  const withTenant =
    (fn: (tenant: TenantRecord, req: EmulatorRequest) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      const tenant = state.getTenant(req.params.tenant ?? "");
      if (tenant === undefined) {
        return json(404, {
          code: "unknown_tenant",
          message: `No tenant '${req.params.tenant ?? ""}' in this emulator.`,
        });
      }
      try {
        const res = fn(tenant, req);
        if (req.method !== "GET") state.changed();
        return res;
      } catch (e) {
        if (e instanceof ManifestRejected) return invalid(e.message);
        throw e;
      }
    };
  router
    .add(
      "GET",
      "/_emulator/tenants/:tenant/teams",
      withTenant((tenant) => json(200, teamsOf(tenant))),
    )
    // Body: { manifest, installForUsers?: "all" | [upn], team?: { id, displayName, channels?, members } }.
    .add(
      "POST",
      "/_emulator/tenants/:tenant/teams/apps",
      withTenant((tenant, req) => {
        const b = body(req);
        const install = b.installForUsers;
        if (
          install !== undefined &&
          install !== "all" &&
          !(Array.isArray(install) && install.every((u) => typeof u === "string"))
        ) {
          return invalid('installForUsers must be "all" or a list of user names');
        }
        const team = b.team as TeamsSeed["team"] | undefined;
        const app = setUp(tenant, {
          manifest: b.manifest,
          ...(install === undefined ? {} : { installForUsers: install }),
          ...(team === undefined ? {} : { team }),
        });
        return json(201, app);
      }),
    )
    // Body: { app: catalog or manifest id, user?: upn | id, team?: team id }.
    .add(
      "POST",
      "/_emulator/tenants/:tenant/teams/installations",
      withTenant((tenant, req) => {
        const b = body(req);
        const teams = teamsOf(tenant);
        const app = typeof b.app === "string" ? findApp(teams, b.app) : undefined;
        if (app === undefined) return invalid("app must name an app of the tenant's catalog (id or manifest id)");
        if (typeof b.user === "string") {
          const user = findUser(tenant.directory, b.user);
          if (user === undefined) return invalid(`no user '${b.user}'`);
          return json(201, install(teams, app, "user", user.id));
        }
        if (typeof b.team === "string" && teams.teams.some((t) => t.id === String(b.team).toLowerCase())) {
          return json(201, install(teams, app, "team", String(b.team).toLowerCase()));
        }
        return invalid("give user (a user of the tenant) or team (a team id of the tenant)");
      }),
    )
    // Removes an installation (a test of the "app not installed" answer).
    .add(
      "DELETE",
      "/_emulator/tenants/:tenant/teams/installations/:id",
      withTenant((tenant, req) => {
        const teams = teamsOf(tenant);
        const before = teams.installations.length;
        teams.installations = teams.installations.filter((i) => i.id !== req.params.id);
        return json(before === teams.installations.length ? 404 : 200, {
          removed: before - teams.installations.length,
        });
      }),
    )
    .add("GET", "/_emulator/teams/notifications", (req) => {
      const tenantKey = req.query.get("tenant");
      const userKey = req.query.get("user")?.toLowerCase();
      const tenants = tenantKey === null ? state.tenants : [state.getTenant(tenantKey)].filter((t) => t !== undefined);
      if (tenantKey !== null && tenants.length === 0) {
        return json(404, { code: "unknown_tenant", message: `No tenant '${tenantKey}' in this emulator.` });
      }
      // Newest first: by time, then (same millisecond) by the order Teams accepted them.
      const notifications = tenants
        .flatMap((t) => (t.teams?.notifications ?? []).map((n, i) => ({ n, i, tenantId: t.directory.tenantId })))
        .filter(
          ({ n }) =>
            userKey === undefined ||
            n.recipient.id === userKey ||
            n.recipient.userPrincipalName.toLowerCase() === userKey,
        )
        .sort((a, b) => b.n.at.localeCompare(a.n.at) || b.i - a.i)
        .map(({ n, tenantId }) => notificationView(tenantId, n));
      return json(200, { notifications });
    })
    .add("DELETE", "/_emulator/teams/notifications", (req) => {
      const tenantKey = req.query.get("tenant");
      for (const t of tenantKey === null ? state.tenants : [state.getTenant(tenantKey)]) {
        if (t?.teams !== undefined) t.teams.notifications = [];
      }
      state.changed();
      return json(200, { cleared: true });
    });
}
