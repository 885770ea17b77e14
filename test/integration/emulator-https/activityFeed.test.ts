import { request, type HttpResult } from "../emulator/helpers";
import { emulatorTeamsManifest, stackTeamsSeeds } from "../../../src/stack/teamsApp";
import { DEFAULT_CHANNEL } from "../../../src/devhost/protocol";
import { CONTOSO, FABRIKAM, rawToken } from "./client";
import { startTestEmulator } from "../emulator/helpers";
import type { RunningEmulator } from "../../../src/emulator/server";

/**
 * Teams activity feed notifications through the emulator's Graph, with Teams' checks, and what
 * `GET /_emulator/teams/notifications` records. The emulator starts with the stack's Teams seeds: the
 * product's app (manifest template, local environment) installed for every seed user and in the dev
 * host's team.
 */
let emu: RunningEmulator;
let stop: () => Promise<void>;
let offset = 0;
beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator({ teams: stackTeamsSeeds(), now: () => Date.now() + offset }));
});
afterAll(() => stop());

const manifest = emulatorTeamsManifest();
const TEAMS_APP_ID = manifest.id as string;
const STATUS_LINK = `https://teams.microsoft.com/l/entity/${TEAMS_APP_ID}/setup?context=${encodeURIComponent('{"subEntityId":"status"}')}`;

/** Admin consent's effect (entra/adminConsent.ts has its own test): the app role granted in a tenant. */
function grantTeamsActivitySend(tenant: string, clientAppId: string): void {
  const dir = emu.state.getTenant(tenant)!.directory;
  dir.applicationGrants.push({
    clientAppId,
    resourceAppId: "00000003-0000-0000-c000-000000000000",
    appRoles: ["TeamsActivity.Send"],
  });
  if (!dir.servicePrincipals.some((s) => s.appId === clientAppId))
    dir.servicePrincipals.push({
      appId: clientAppId,
      id: `${clientAppId.slice(0, 8)}-0000-4000-8000-000000000001`,
      roles: [],
    });
}

function graphToken(tenant: string, app: { clientId: string; secret: string } = emu.config.apps.api): Promise<string> {
  return rawToken(emu, tenant, {
    grant_type: "client_credentials",
    client_id: app.clientId,
    client_secret: app.secret,
    scope: "https://graph.microsoft.com/.default",
  });
}

function post(path: string, token: string, body: unknown): Promise<HttpResult> {
  return request(`${emu.origin}${path}`, emu.caPem, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function alert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topic: { source: "text", value: "Journaling", webUrl: STATUS_LINK },
    activityType: "journalingAlert",
    previewText: { content: "Since 09:00. Enable the rule in the Status tab." },
    templateParameters: [{ name: "alertTitle", value: "Journal rule EU disabled" }],
    ...overrides,
  };
}

async function notifications(query: string): Promise<Record<string, unknown>[]> {
  const res = await request(`${emu.origin}/_emulator/teams/notifications${query}`, emu.caPem);
  return res.json<{ notifications: Record<string, unknown>[] }>().notifications;
}

function errorOf(res: HttpResult): { code: string; message: string } {
  return res.json<{ error: { code: string; message: string } }>().error;
}

describe("sendActivityNotification", () => {
  it("refuses a token without TeamsActivity.Send, as Graph words it", async () => {
    const res = await post(
      "/v1.0/users/admin@contoso.com/teamwork/sendActivityNotification",
      await graphToken(CONTOSO),
      alert(),
    );
    expect(res.status).toBe(403);
    expect(errorOf(res).message).toBe(
      "Missing role permissions on the request. API requires one of 'TeamsActivity.Send, TeamsActivity.Send.User'. Roles on the request ''.",
    );
  });

  it("checks sender app, activity type, template parameters, topic, recipient and installation; records what it accepts", async () => {
    grantTeamsActivitySend(CONTOSO, emu.config.apps.api.clientId);
    const token = await graphToken(CONTOSO);
    const toAdmin = "/v1.0/users/admin@contoso.com/teamwork/sendActivityNotification";

    // An Entra app that is no Teams app's webApplicationInfo.id.
    grantTeamsActivitySend(CONTOSO, emu.config.apps.daemon.clientId);
    const daemon = await graphToken(CONTOSO, emu.config.apps.daemon);
    const notOurs = await post(toAdmin, daemon, alert());
    expect(notOurs.status).toBe(403);
    expect(errorOf(notOurs).message).toContain("webApplicationInfo.id");

    const undeclared = await post(toAdmin, token, alert({ activityType: "somethingElse" }));
    expect([undeclared.status, errorOf(undeclared).message]).toEqual([
      400,
      `Activity type 'somethingElse' is not declared in the manifest of the Teams app '${TEAMS_APP_ID}' (activities.activityTypes).`,
    ]);

    const params = await post(toAdmin, token, alert({ templateParameters: [{ name: "title", value: "x" }] }));
    expect(params.status).toBe(400);
    expect(errorOf(params).message).toBe(
      "Template parameters do not match the templateText '{alertTitle}' of activity type 'journalingAlert'. Missing: alertTitle. Not in the template: title.",
    );

    const noWebUrl = await post(toAdmin, token, alert({ topic: { source: "text", value: "Journaling" } }));
    expect([noWebUrl.status, errorOf(noWebUrl).message]).toEqual([
      400,
      "Invalid request body: 'topic.webUrl' is required when 'topic.source' is 'text'.",
    ]);
    const notTeams = await post(
      toAdmin,
      token,
      alert({ topic: { source: "text", value: "J", webUrl: "https://example.com/x" } }),
    );
    expect(notTeams.status).toBe(400);
    expect(errorOf(notTeams).message).toContain("must be a Teams deep link");

    const otherTenant = await post("/v1.0/users/admin@fabrikam.com/teamwork/sendActivityNotification", token, alert());
    expect([otherTenant.status, errorOf(otherTenant).code]).toEqual([404, "Request_ResourceNotFound"]);

    // Installed for nobody: Teams' Forbidden.
    const state = emu.state.getTenant(CONTOSO)!.teams!;
    const user = emu.state.getTenant(CONTOSO)!.directory.users.find((u) => u.userPrincipalName === "user@contoso.com")!;
    state.installations = state.installations.filter((i) => i.targetId !== user.id);
    state.teams.forEach((team) => (team.members = team.members.filter((m) => m !== user.id)));
    const notInstalled = await post("/v1.0/users/user@contoso.com/teamwork/sendActivityNotification", token, alert());
    expect(notInstalled.status).toBe(403);
    expect(errorOf(notInstalled).message).toBe(
      `Application with AAD App Id '${emu.config.apps.api.clientId}' is not authorized to generate custom text notifications about '/v1.0/users/user@contoso.com/teamwork/sendActivityNotification' to the recipient. Ensure that the expected Teams app is installed in the target scope (user, team, or chat).`,
    );
    expect(await notifications(`?tenant=${CONTOSO}`)).toEqual([]);

    // Accepted: 204, recorded with the text rendered from the manifest's templateText.
    const ok = await post(toAdmin, token, alert({ chainId: 7 }));
    expect(ok.status).toBe(204);
    const again = await post(
      toAdmin,
      token,
      alert({ chainId: 7, templateParameters: [{ name: "alertTitle", value: "Journal rule EU still disabled" }] }),
    );
    expect(again.status).toBe(204);
    const resolved = await post(toAdmin, token, alert({ activityType: "journalingResolved", chainId: 8 }));
    expect(resolved.status).toBe(204);
    const seen = await notifications(`?tenant=${CONTOSO}&user=admin@contoso.com`);
    // chainId 7 was overridden: one entry for it, the newest.
    expect(seen.map((n) => n.text)).toEqual(["Resolved: Journal rule EU disabled", "Journal rule EU still disabled"]);
    expect(seen[1]).toMatchObject({
      recipient: { userPrincipalName: "admin@contoso.com" },
      activityType: "journalingAlert",
      previewText: "Since 09:00. Enable the rule in the Status tab.",
      deepLink: STATUS_LINK,
      topic: { source: "text", value: "Journaling", webUrl: STATUS_LINK },
    });
    expect(await notifications(`?tenant=${FABRIKAM}`)).toEqual([]);
  });

  it("a team's channel members, and the bulk endpoint's limits", async () => {
    grantTeamsActivitySend(CONTOSO, emu.config.apps.api.clientId);
    const token = await graphToken(CONTOSO);
    const team = `/v1.0/teams/${DEFAULT_CHANNEL.groupId}/sendActivityNotification`;
    const badChannel = await post(
      team,
      token,
      alert({
        recipient: {
          "@odata.type": "microsoft.graph.channelMembersNotificationRecipient",
          teamId: DEFAULT_CHANNEL.groupId,
          channelId: "19:nope@thread.tacv2",
        },
      }),
    );
    expect(badChannel.status).toBe(404);
    const noTeam = await post(
      "/v1.0/teams/11111111-1111-4111-8111-111111111111/sendActivityNotification",
      token,
      alert({ recipient: { "@odata.type": "microsoft.graph.teamMembersNotificationRecipient", teamId: "x" } }),
    );
    expect(noTeam.status).toBe(404);
    await request(`${emu.origin}/_emulator/teams/notifications?tenant=${CONTOSO}`, emu.caPem, { method: "DELETE" });
    const channel = await post(
      team,
      token,
      alert({
        recipient: {
          "@odata.type": "microsoft.graph.channelMembersNotificationRecipient",
          teamId: DEFAULT_CHANNEL.groupId,
          channelId: DEFAULT_CHANNEL.channelId,
        },
      }),
    );
    expect(channel.status).toBe(204);
    const members = emu.state.getTenant(CONTOSO)!.teams!.teams[0]!.members;
    const got = await notifications(`?tenant=${CONTOSO}`);
    expect(got).toHaveLength(members.length);
    expect(got[0]).toMatchObject({ via: "team", channelId: DEFAULT_CHANNEL.channelId });

    const bulk = "/v1.0/teamwork/sendActivityNotificationToRecipients";
    const recipient = (userId: string): Record<string, string> => ({
      "@odata.type": "microsoft.graph.aadUserNotificationRecipient",
      userId,
    });
    const tooMany = await post(
      bulk,
      token,
      alert({ recipients: Array.from({ length: 101 }, () => recipient("admin@contoso.com")) }),
    );
    expect([tooMany.status, errorOf(tooMany).message]).toEqual([
      400,
      "Invalid request body: at most 100 recipients in a single request.",
    ]);
    const accepted = await post(
      bulk,
      token,
      alert({ recipients: [recipient("admin@contoso.com"), recipient("exchange.admin@contoso.com")] }),
    );
    expect(accepted.status).toBe(202);
    offset += 20 * 60_000; // the same token, now 40 minutes from expiry
    const stale = await post(bulk, token, alert({ recipients: [recipient("admin@contoso.com")] }));
    expect(stale.status).toBe(412);
  });
});
