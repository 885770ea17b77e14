import type { DeviceCodeRequest } from "@azure/msal-node";
import type { RunningEmulator } from "../../../src/emulator/server";
import {
  decodeJwt,
  panePublicClient,
  postForm,
  request,
  tenantIdOf,
  useTestEmulator,
  type EntraErrorBody,
} from "./helpers";

/**
 * The device authorization grant: msal-node's acquireTokenByDeviceCode against the emulator, the
 * user completing the code on the emulator's device login page over HTTPS, and the documented poll
 * errors (authorization_pending, authorization_declined, bad_verification_code, expired_token).
 */
let emu: RunningEmulator;
let clock = Date.now();
useTestEmulator((started) => (emu = started), { now: () => clock });

const CONTOSO = (): string => tenantIdOf(emu, "contoso.onmicrosoft.com");
const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

interface DeviceCodeBody {
  device_code: string;
  user_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
}

function deviceCodeRequest(fields: Record<string, string>, tenant = CONTOSO()): ReturnType<typeof request> {
  return request(`${emu.origin}/${tenant}/oauth2/v2.0/devicecode`, emu.caPem, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

async function newCode(clientId = emu.config.apps.pane.clientId): Promise<DeviceCodeBody> {
  const res = await deviceCodeRequest({ client_id: clientId, scope: "User.Read openid profile offline_access" });
  expect(res.status).toBe(200);
  return res.json<DeviceCodeBody>();
}

function poll(deviceCode: string, clientId = emu.config.apps.pane.clientId, extra: Record<string, string> = {}) {
  return postForm(emu, CONTOSO(), {
    grant_type: DEVICE_CODE_GRANT,
    client_id: clientId,
    device_code: deviceCode,
    ...extra,
  });
}

function expectPollError(res: { status: number; json: <T>() => T }, error: string, code: number): void {
  expect(res.status).toBe(400);
  const body = res.json<EntraErrorBody>();
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([code]);
  expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
}

function form(fields: Record<string, string>): { method: string; headers: Record<string, string>; body: string } {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** What a person does in a browser: open the verification URI, enter the code, confirm, sign in (or cancel). */
async function completeOnPage(
  verificationUri: string,
  userCode: string,
  account: { upn: string; password: string } | "cancel",
): Promise<string> {
  const landing = await request(verificationUri, emu.caPem);
  expect(landing.status).toBe(302);
  const pageUrl = new URL(String(landing.headers.location), verificationUri).toString();
  const enter = await request(pageUrl, emu.caPem);
  expect(enter.status).toBe(200);
  expect(enter.text).toContain("<h1>Enter code</h1>");
  const confirm = await request(pageUrl, emu.caPem, form({ step: "code", otc: userCode.toLowerCase() }));
  expect(confirm.text).toContain("Are you trying to sign in to Journaling Assistant (pane)?");
  const decision = account === "cancel" ? "cancel" : "continue";
  const next = await request(pageUrl, emu.caPem, form({ step: "confirm", otc: userCode, decision }));
  if (account === "cancel") return next.text;
  expect(next.text).toContain('<input id="password" name="password" type="password"');
  const q = /name="q" value="([^"]*)"/.exec(next.text)?.[1] ?? "";
  const done = await request(
    pageUrl,
    emu.caPem,
    form({ q: unescapeHtml(q), username: account.upn, password: account.password }),
  );
  expect(done.status).toBe(200);
  return done.text;
}

describe("device code flow", () => {
  test("msal-node acquireTokenByDeviceCode: the user enters the code on the emulator's page and signs in", async () => {
    const pca = panePublicClient(emu, CONTOSO());
    let shown: Parameters<DeviceCodeRequest["deviceCodeCallback"]>[0] | undefined;
    let page: Promise<string> | undefined;
    const result = await pca.acquireTokenByDeviceCode({
      scopes: ["User.Read"],
      deviceCodeCallback: (response) => {
        shown = response;
        page = completeOnPage(response.verificationUri, response.userCode, {
          upn: "exchange.admin@contoso.com",
          password: "exchange.admin-Pass1!",
        });
      },
    });
    expect(shown?.verificationUri).toBe(`${emu.origin}/devicelogin`);
    expect(shown?.userCode).toMatch(/^[A-Z0-9]{9}$/);
    expect(shown?.expiresIn).toBe(900);
    expect(shown?.interval).toBe(5);
    expect(shown?.message).toBe(
      `To sign in, use a web browser to open the page ${emu.origin}/devicelogin and enter the code ${shown?.userCode} to authenticate.`,
    );
    expect(await page).toContain(
      "You have signed in to the Journaling Assistant (pane) application on your device. You may now close this window.",
    );
    expect(result?.account?.username).toBe("exchange.admin@contoso.com");
    expect(decodeJwt(result!.accessToken)).toMatchObject({ upn: "exchange.admin@contoso.com", scp: "User.Read" });
  }, 30_000);

  test("the device code response has Entra's fields and no verification_uri_complete", async () => {
    const code = await newCode();
    expect(Object.keys(code).sort()).toEqual(
      ["device_code", "expires_in", "interval", "message", "user_code", "verification_uri"].sort(),
    );
  });

  test("polls: authorization_pending until the user signs in, then tokens, then the code is spent", async () => {
    const code = await newCode();
    expectPollError(await poll(code.device_code), "authorization_pending", 70016);
    await completeOnPage(code.verification_uri, code.user_code, { upn: "admin@contoso.com", password: "admin-Pass1!" });
    const ok = await poll(code.device_code);
    expect(ok.status).toBe(200);
    expect(ok.json<Record<string, unknown>>()).toMatchObject({
      token_type: "Bearer",
      scope: expect.stringContaining("User.Read"),
    });
    expect(ok.json<Record<string, unknown>>().refresh_token).toEqual(expect.any(String));
    expectPollError(await poll(code.device_code), "bad_verification_code", 70018);
  });

  test("Cancel on the page: authorization_declined", async () => {
    const code = await newCode();
    const text = await completeOnPage(code.verification_uri, code.user_code, "cancel");
    expect(text).toContain("You have declined to sign in to the Journaling Assistant (pane) application");
    expectPollError(await poll(code.device_code), "authorization_declined", 65004);
  });

  test("an unknown device code is bad_verification_code; another client's too", async () => {
    expectPollError(await poll("not-a-device-code"), "bad_verification_code", 70018);
    const code = await newCode();
    const api = emu.config.apps.api;
    expectPollError(
      await poll(code.device_code, api.clientId, { client_secret: api.secret }),
      "bad_verification_code",
      70018,
    );
  });

  test("after expires_in the poll is expired_token and the page refuses the code", async () => {
    const code = await newCode();
    clock += 901 * 1000;
    try {
      expectPollError(await poll(code.device_code), "expired_token", 70020);
      const page = await request(
        `${emu.origin}/common/oauth2/deviceauth`,
        emu.caPem,
        form({ step: "code", otc: code.user_code }),
      );
      expect(page.text).toContain("We don&#39;t recognize this code, please enter the code again.");
    } finally {
      clock -= 901 * 1000;
    }
  });

  test("a wrong password keeps the code pending and says so on the page", async () => {
    const code = await newCode();
    const pageUrl = `${emu.origin}/common/oauth2/deviceauth`;
    const q = new URLSearchParams({ otc: code.user_code, step: "signin" }).toString();
    const res = await request(pageUrl, emu.caPem, form({ q, username: "admin@contoso.com", password: "nope" }));
    expect(res.text).toContain("Your account or password is incorrect.");
    expectPollError(await poll(code.device_code), "authorization_pending", 70016);
  });

  test("only public clients without a credential: a confidential app must authenticate (AADSTS7000218)", async () => {
    const api = emu.config.apps.api;
    const code = await newCode(api.clientId);
    const res = await poll(code.device_code, api.clientId);
    expect(res.status).toBe(401);
    expect(res.json<EntraErrorBody>()).toMatchObject({ error: "invalid_client", error_codes: [7000218] });
  });

  test("devicecode endpoint errors: missing scope, unknown app, unknown tenant", async () => {
    const pane = emu.config.apps.pane.clientId;
    const noScope = await deviceCodeRequest({ client_id: pane });
    expect(noScope.json<EntraErrorBody>().error_codes).toEqual([900144]);
    const unknownApp = await deviceCodeRequest({
      client_id: "11111111-1111-1111-1111-111111111111",
      scope: "User.Read",
    });
    expect(unknownApp.json<EntraErrorBody>().error_codes).toEqual([700016]);
    const unknownTenant = await deviceCodeRequest({ client_id: pane, scope: "User.Read" }, "nowhere.onmicrosoft.com");
    expect(unknownTenant.json<EntraErrorBody>().error_codes).toEqual([90002]);
  });
});
