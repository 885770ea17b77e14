import { readFileSync } from "node:fs";
import { advanceMailFlow, simulateMailFlow, type TenantRecord } from "../../../src/emulator/exchange";
import { API_APP_ID, EXCHANGE_APP, GRAPH_APP } from "../../../src/emulator/directory/apps";
import { ROLE_TEMPLATE_IDS } from "../../../src/emulator/directory/types";
import { startBackend, type RunningBackend } from "../../../src/server/app";
import { buildManifest } from "../../../manifest/lib/appPackage";
import { parseEnvironment } from "../../../manifest/lib/environment";
import { run, userCaller } from "../emulator-https/client";
import { callApi, FAST_RETRIES, startStack, waitForRun, type ApiResponse, type Stack } from "./harness";
import { createLogger } from "../../../src/server/log";

/**
 * Issue 14 end to end over real HTTP: an admin turns "Keep watching" on (after the backend's own app
 * got admin consent and an Exchange role in the emulated tenant), the monitor checks every minute,
 * drifts injected in the tenant raise exactly one Teams activity notification each (read back from
 * the emulator's /_emulator/teams/notifications), a backend restart loses no schedule and repeats no
 * alert, the fix brings one resolved notice each, and another tenant sees none of it.
 */
/** The EU and India lists with every person of those countries, so a healthy tenant is fully covered. */
const euIndia = JSON.parse(readFileSync("examples/eu-india-regions.json", "utf8")) as {
  journaling: { regions: { group: { members: string[] } }[] };
};
euIndia.journaling.regions[0]?.group.members.push(
  "lena.fischer@contoso.com",
  "louis.bernard@contoso.com",
  "compliance.admin@contoso.com",
  "user@contoso.com",
);
const local = JSON.parse(readFileSync("manifest/environments/local.json", "utf8")) as Record<string, string>;
const TEAMS_APP_ID = local.APP_ID ?? "";
const ADMIN = "admin@contoso.com";
const EU_HOST = "journaling.mailstream-eu1.mxrecord.io";
const MINUTE = 60_000;

jest.setTimeout(8 * MINUTE);

let stack: Stack;
let backend: RunningBackend;
let contoso: TenantRecord;
let token: string;

interface Notification {
  tenantId: string;
  recipient: { userPrincipalName: string };
  activityType: string;
  text: string;
  deepLink: string;
}

const api = (method: "GET" | "PUT" | "POST", path: string, t: string, body?: unknown): Promise<ApiResponse> =>
  callApi(stack.http, backend.url, method, path, t, body);

async function emulator(method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await stack.http.send({
    method,
    url: `${stack.emulator.origin}${path}`,
    headers: { "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    timeoutMs: 30_000,
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

async function notifications(tenant: string): Promise<Notification[]> {
  const r = await emulator("GET", `/_emulator/teams/notifications?tenant=${tenant}`);
  return r.notifications as Notification[];
}

async function poll<T>(what: string, timeoutMs: number, get: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits for the monitor's next check to finish (lastCheckedAt moves past `after`). */
async function nextCheck(after: string | undefined, timeoutMs = 75_000): Promise<string> {
  return poll("the monitor's next check", timeoutMs, async () => {
    const r = await api("GET", "/api/monitor", token);
    const at = r.json.lastCheckedAt as string | undefined;
    return at !== undefined && (after === undefined || at > after) ? at : undefined;
  });
}

async function restartBackend(): Promise<void> {
  await backend.close();
  backend = await startBackend(stack.config, {
    log: createLogger("debug", (line) => stack.logs.push(line)),
    retryPolicy: FAST_RETRIES,
  });
}

beforeAll(async () => {
  // Trace numbers may be 3 s old at most, so a one-minute interval sees the deferred reports.
  stack = await startStack({ config: { messageTraceTtlSeconds: 3, teamsAppId: TEAMS_APP_ID } });
  backend = stack.backend;
  const tenant = stack.emulator.state.getTenant("contoso.com");
  if (!tenant) throw new Error("no contoso");
  contoso = tenant;
  token = await stack.token(ADMIN);
  const plan = await api("POST", "/api/plan", token, { desired: euIndia });
  const run = await api("POST", "/api/runs", token, { desired: euIndia, planHash: plan.json.planHash });
  expect((await waitForRun(stack, token, String(run.json.runId))).json.state).toBe("succeeded");
  // The product's Teams app (webApplicationInfo.id = the backend's Entra app), installed for the admin.
  const manifest = buildManifest(parseEnvironment("test", { ...local, CLIENT_ID: API_APP_ID }));
  await emulator("POST", "/_emulator/tenants/contoso.com/teams/apps", { manifest, installForUsers: [ADMIN] });
});
afterAll(async () => {
  await backend.close();
  await stack.close();
});

test("watching needs the app's consent and Exchange role; then each drift is one notification, fixed once, across a restart", async () => {
  // Someone who is not in the directory cannot be told: said at once, before anything else.
  const nobody = await api("PUT", "/api/monitor", token, {
    watching: true,
    intervalMinutes: 1,
    recipients: [ADMIN, "no.such.person@contoso.com"],
  });
  expect(nobody.status).toBe(400);
  expect(nobody.json.error?.fieldErrors).toEqual([
    { path: "recipients[1]", message: "no.such.person@contoso.com is not a user of your organisation" },
  ]);

  // Before consent: 409 with what is missing and the admin consent URL.
  const refused = await api("PUT", "/api/monitor", token, { watching: true, intervalMinutes: 1, recipients: [ADMIN] });
  expect(refused.status).toBe(409);
  expect(refused.json.error?.code).toBe("monitor_identity_not_ready");
  expect(String(refused.json.error?.consentUrl)).toContain(`/adminconsent?client_id=${API_APP_ID}`);
  const before = await api("GET", "/api/monitor", token);
  expect(before.json).toMatchObject({ watching: false, identity: { state: "needsConsent" } });
  expect((before.json.identity as { missingPermissions: string[] }).missingPermissions).toEqual([
    "Exchange.ManageAsApp",
    "TeamsActivity.Send",
  ]);

  // What admin consent records (entra/adminConsent.ts): the app's application permissions.
  contoso.directory.applicationGrants.push(
    { clientAppId: API_APP_ID, resourceAppId: EXCHANGE_APP.appId, appRoles: ["Exchange.ManageAsApp"] },
    { clientAppId: API_APP_ID, resourceAppId: GRAPH_APP.appId, appRoles: ["TeamsActivity.Send"] },
  );
  const noRole = await api("PUT", "/api/monitor", token, { watching: true, intervalMinutes: 1, recipients: [ADMIN] });
  expect(noRole.status).toBe(409);
  expect(noRole.json.error?.message).toMatch(/Exchange role/);
  // The Exchange Administrator role on the app's service principal (Graph roleAssignments).
  const sp = contoso.directory.servicePrincipals.find((s) => s.appId === API_APP_ID);
  sp?.roles.push(ROLE_TEMPLATE_IDS.exchangeAdministrator);

  const on = await api("PUT", "/api/monitor", token, { watching: true, intervalMinutes: 1, recipients: [ADMIN] });
  expect(on.status).toBe(200);
  expect(on.json).toMatchObject({ watching: true, intervalMinutes: 1, identity: { state: "ready" }, enabledBy: ADMIN });

  // The first check runs at once and sets the baseline: a healthy tenant, no alert, a snapshot.
  const first = await nextCheck(undefined, 30_000);
  expect((await api("GET", "/api/alerts", token)).json.alerts).toEqual([]);
  const snap = await api("GET", "/api/status/snapshot", token);
  expect(snap.json).toMatchObject({ checkedBy: "monitor", snapshot: { hasSetup: true } });

  // Drifts: the India rule disabled, the EU connector's TLS setting changed, a member removed from
  // the EU list (the list differs, and she is in no list now), and journal reports to EU deferred
  // (the destination refuses TLS).
  await stack.exchangeSettings("contoso.com", { connectorValidation: { [EU_HOST]: "tlsFailure" } });
  const now = Date.now();
  simulateMailFlow(contoso, { from: new Date(now - 30 * MINUTE), to: new Date(now - MINUTE), count: 6, seed: 5 });
  // The others by hand, as a second admin would in Exchange: real cmdlets through the admin API.
  const india = contoso.exchange.journalRules.find((r) => r.JournalEmailAddress.includes("bom"));
  if (!india) throw new Error("no India rule");
  const connector = contoso.exchange.outboundConnectors.find((c) => c.SmartHosts.includes(EU_HOST));
  if (!connector) throw new Error("no EU connector");
  const byHand = await userCaller(stack.emulator, "exchange.admin@contoso.com");
  const exchange = (cmdlet: string, parameters: Record<string, unknown>) =>
    run(stack.emulator, byHand, cmdlet, parameters);
  const EU_LIST = { Identity: "journaling-eu@contoso.com", Member: "anna.schmidt@contoso.com" };
  await exchange("Disable-JournalRule", { Identity: india.Name });
  await exchange("Set-OutboundConnector", { Identity: connector.Name, TlsSettings: "EncryptionOnly" });
  await exchange("Remove-DistributionGroupMember", { ...EU_LIST, BypassSecurityGroupManagerCheck: true });

  // Within one interval: one notification per problem, to the chosen admin, linking to the status.
  const second = await nextCheck(first);
  const raised = (await notifications("contoso.com")).filter((n) => n.activityType === "journalingAlert");
  const open = (await api("GET", "/api/alerts", token)).json.alerts as {
    code: string;
    state: string;
    title: string;
    notified: { upn: string; kind: string }[];
    deepLink: string;
  }[];
  expect(open.map((a) => a.code).sort()).toEqual([
    "connector-tls",
    "region-coverage",
    "reports-queued",
    "resource-drift",
    "rule-disabled",
  ]);
  expect(open.find((a) => a.code === "region-coverage")?.title).toBe("1 person is in no regional journaling list");
  expect(raised).toHaveLength(open.length);
  expect(raised.map((n) => n.text).sort()).toEqual(open.map((a) => a.title).sort());
  for (const a of open) expect(a.notified).toEqual([expect.objectContaining({ upn: ADMIN, kind: "raised" })]);
  for (const n of raised) {
    expect(n.recipient.userPrincipalName).toBe(ADMIN);
    expect(n.deepLink).toContain(`/l/entity/${TEAMS_APP_ID}/`);
    expect(decodeURIComponent(n.deepLink)).toContain('"subEntityId":"status"');
  }

  // A restart in between: the schedule survives, the next check repeats no alert.
  await restartBackend();
  const third = await nextCheck(second);
  expect((await notifications("contoso.com")).filter((n) => n.activityType === "journalingAlert")).toHaveLength(
    raised.length,
  );

  // The fix: everything back as the setup wants it; one resolved notice per alert.
  await exchange("Enable-JournalRule", { Identity: india.Name });
  await exchange("Set-OutboundConnector", { Identity: connector.Name, TlsSettings: "CertificateValidation" });
  await exchange("Add-DistributionGroupMember", { ...EU_LIST, BypassSecurityGroupManagerCheck: true });
  await stack.exchangeSettings("contoso.com", { connectorValidation: { [EU_HOST]: "success" } });
  // Exchange retries the queued reports (within the hour); now the destination takes them.
  await emulator("POST", "/_emulator/tenants/contoso.com/exchange/mailflow/advance", { hours: 1 });
  await nextCheck(third);
  const all = await notifications("contoso.com");
  expect(all.filter((n) => n.activityType === "journalingResolved")).toHaveLength(raised.length);
  expect(all.filter((n) => n.activityType === "journalingAlert")).toHaveLength(raised.length);
  const after = (await api("GET", "/api/alerts", token)).json.alerts as {
    state: string;
    notified: { kind: string }[];
  }[];
  expect(after.every((a) => a.state === "resolved" && a.notified.map((x) => x.kind).join() === "raised,resolved")).toBe(
    true,
  );

  // Another tenant sees none of it.
  const fabrikam = await stack.token("admin@fabrikam.com");
  expect((await api("GET", "/api/alerts", fabrikam)).json.alerts).toEqual([]);
  expect((await api("GET", "/api/status/snapshot", fabrikam)).json).toMatchObject({ snapshot: null, checkedBy: null });
  expect(await notifications("fabrikam.com")).toEqual([]);
});

test("a check that fails once is a blip; failing twice in a row raises one alert, resolved when checks work again", async () => {
  const failedAlerts = async (): Promise<Notification[]> =>
    (await notifications("contoso.com")).filter((n) => n.text.includes("The monitor cannot check journaling"));
  const before = (await failedAlerts()).length;
  // Exchange answers 503 to every call (transient, retried, then the check fails).
  await stack.exchangeSettings("contoso.com", { transientFailures: { probability: 1, status: 503 } });
  const last = (await api("GET", "/api/monitor", token)).json.lastCheckedAt as string | undefined;
  // A failed check does not move lastCheckedAt: wait until the backend logged it.
  const failures = (): number => stack.logs.filter((l) => l.includes("monitor check failed once")).length;
  const logged = failures();
  expect((await api("POST", "/api/monitor/check", token)).status).toBe(202);
  await poll("the first failed check", 75_000, () => Promise.resolve(failures() > logged ? true : undefined));
  expect(await failedAlerts()).toHaveLength(before);

  expect((await api("POST", "/api/monitor/check", token)).status).toBe(202);
  await poll("the alert for the second failed check", 75_000, async () =>
    (await failedAlerts()).length === before + 1 ? true : undefined,
  );

  await stack.exchangeSettings("contoso.com", { transientFailures: { probability: 0 } });
  expect((await api("POST", "/api/monitor/check", token)).status).toBe(202);
  await nextCheck(last);
  const resolved = await poll("the resolved notice", 75_000, async () => {
    const list = (await notifications("contoso.com")).filter(
      (n) => n.activityType === "journalingResolved" && n.text.includes("The monitor cannot check journaling"),
    );
    return list.length > 0 ? list : undefined;
  });
  expect(resolved).toHaveLength(1);
  expect(await failedAlerts()).toHaveLength(before + 1 + 1);
});

test("an undeliverable report that arrives at the NDR mailbox is counted by the next check and raises one alert", async () => {
  const NDR = "journal-ndr@contoso.com";
  const title = `Undeliverable journal reports arrived at ${NDR}`;
  // The stream caught up first, so nothing else is sent while the destination refuses TLS.
  advanceMailFlow(contoso, new Date());
  await stack.exchangeSettings("contoso.com", { connectorValidation: { [EU_HOST]: "tlsFailure" } });
  // A report to EU sent a day ago and retried since: it expires now, and Exchange sends its NDR to
  // JournalingReportNdrTo (the report itself is older than the trace's 24 hours).
  const dayAgo = new Date(Date.now() - 24 * 60 * MINUTE - 20_000);
  simulateMailFlow(contoso, { from: dayAgo, to: dayAgo, count: 1, seed: 11 });
  expect(advanceMailFlow(contoso, new Date())).toMatchObject({ failed: 1, ndrs: 1 });
  await stack.exchangeSettings("contoso.com", { connectorValidation: { [EU_HOST]: "success" } });
  // Past the trace cache's 3 s, then a check now.
  await new Promise((r) => setTimeout(r, 3_500));
  const last = (await api("GET", "/api/monitor", token)).json.lastCheckedAt as string | undefined;
  expect((await api("POST", "/api/monitor/check", token)).status).toBe(202);
  await nextCheck(last);
  const snap = await api("GET", "/api/status/snapshot", token);
  const interval = (snap.json.snapshot as { sinceLastCheck?: Record<string, unknown> }).sinceLastCheck;
  expect(interval).toMatchObject({ undeliverable: { address: NDR, count: 1 } });
  expect((interval?.perAddress as { address: string }[]).map((a) => a.address).sort()).toEqual(
    (snap.json.snapshot as { messageTrace: { perAddress: { address: string }[] } }).messageTrace.perAddress
      .map((a) => a.address)
      .sort(),
  );
  const alerts = (await api("GET", "/api/alerts", token)).json.alerts as {
    code: string;
    state: string;
    title: string;
  }[];
  expect(alerts.filter((a) => a.state === "open").map((a) => [a.code, a.title])).toEqual([
    ["undeliverable-reports", title],
  ]);
  const told = (await notifications("contoso.com")).filter(
    (n) => n.activityType === "journalingAlert" && n.text === title,
  );
  expect(told).toHaveLength(1);
});
