import { createHash, randomBytes } from "node:crypto";
import type { RunningEmulator } from "../../../src/emulator/server";
import {
  decodeJwt,
  postForm,
  request,
  tenantIdOf,
  useTestEmulator,
  type EntraErrorBody,
  type TokenBody,
} from "./helpers";

let emu: RunningEmulator;
let clock = Date.now();
useTestEmulator((started) => (emu = started), { now: () => clock });

const tenant = (name: string): string => tenantIdOf(emu, name);
const CONTOSO = (): string => tenant("contoso.onmicrosoft.com");
const FABRIKAM = (): string => tenant("fabrikam.onmicrosoft.com");
const REDIRECT = "https://localhost:3000/auth.html";

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function expectEntraError(
  res: { status: number; json: <T>() => T },
  status: number,
  error: string,
  code: number,
): EntraErrorBody {
  expect(res.status).toBe(status);
  const body = res.json<EntraErrorBody>();
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([code]);
  expect(body.error_description).toMatch(
    new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: `),
  );
  expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  return body;
}

function authorizeUrl(params: Record<string, string>, t = CONTOSO()): string {
  return `${emu.origin}/${t}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`;
}

function paneAuthorizeParams(challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: emu.config.apps.pane.clientId,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "User.Read openid profile offline_access",
    state: "st-1",
    nonce: "n-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    response_mode: "fragment",
    client_info: "1",
    ...extra,
  };
}

/** Submits the sign-in form as a browser would; returns the redirect and the session cookie. */
async function signIn(
  username: string,
  password: string,
  params: Record<string, string>,
): Promise<{ location: string; cookie: string; status: number; text: string }> {
  const url = authorizeUrl(params);
  const page = await request(url, emu.caPem);
  expect(page.status).toBe(200);
  const q = /name="q" value="([^"]*)"/.exec(page.text)![1]!.replace(/&amp;/g, "&");
  const res = await request(url.split("?")[0]!, emu.caPem, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ q, username, password }).toString(),
  });
  const cookie = String(res.headers["set-cookie"] ?? "").split(";")[0] ?? "";
  return { location: String(res.headers.location ?? ""), cookie, status: res.status, text: res.text };
}

function fragmentParams(location: string): URLSearchParams {
  return new URLSearchParams(location.split("#")[1] ?? "");
}

describe("discovery and keys", () => {
  test.each(["contoso.onmicrosoft.com", "contoso.com", "common", "organizations"])(
    "openid-configuration for %s",
    async (t) => {
      const res = await request(`${emu.origin}/${t}/v2.0/.well-known/openid-configuration`, emu.caPem, {
        headers: { origin: "https://localhost:3000" },
      });
      expect(res.status).toBe(200);
      expect(res.headers["access-control-allow-origin"]).toBe("https://localhost:3000");
      const doc = res.json<Record<string, unknown>>();
      const expectedTenant = t.startsWith("contoso") ? CONTOSO() : t;
      expect(doc.token_endpoint).toBe(`${emu.origin}/${expectedTenant}/oauth2/v2.0/token`);
      expect(doc.authorization_endpoint).toBe(`${emu.origin}/${expectedTenant}/oauth2/v2.0/authorize`);
      expect(doc.jwks_uri).toBe(`${emu.origin}/${expectedTenant}/discovery/v2.0/keys`);
      expect(doc.issuer).toBe(`${emu.origin}/${t.startsWith("contoso") ? CONTOSO() : "{tenantid}"}/v2.0`);
      expect(doc.response_modes_supported).toEqual(["query", "fragment", "form_post"]);
    },
  );

  test("unknown tenant is AADSTS90002", async () => {
    const res = await request(`${emu.origin}/nowhere.onmicrosoft.com/v2.0/.well-known/openid-configuration`, emu.caPem);
    expectEntraError(res, 400, "invalid_request", 90002);
  });

  test("JWKS publishes an RSA signing key with kid, x5t, n, e, x5c", async () => {
    const res = await request(`${emu.origin}/common/discovery/v2.0/keys`, emu.caPem);
    const key = res.json<{ keys: Record<string, unknown>[] }>().keys[0]!;
    expect(key).toMatchObject({ kty: "RSA", use: "sig", e: "AQAB" });
    expect(key.kid).toBe(key.x5t);
    expect((key.x5c as string[])[0]).toMatch(/^MII/);
  });

  test("CORS preflight on the token endpoint", async () => {
    const res = await request(`${emu.origin}/${CONTOSO()}/oauth2/v2.0/token`, emu.caPem, {
      method: "OPTIONS",
      headers: {
        origin: "https://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("https://localhost:3000");
    expect(res.headers["access-control-allow-headers"]).toBe("content-type");
  });
});

describe("authorization code + PKCE", () => {
  test("sign-in page, code in the fragment, redemption with the verifier, refresh", async () => {
    const { challenge } = pkce();
    const page = await request(
      authorizeUrl(paneAuthorizeParams(challenge, { login_hint: "admin@contoso.com" })),
      emu.caPem,
    );
    expect(page.status).toBe(200);
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.text).toContain('<label for="username">');
    expect(page.text).toContain('value="admin@contoso.com"');

    const bad = await signIn("admin@contoso.com", "wrong", paneAuthorizeParams(challenge));
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('role="alert"');

    const ok = await signIn("admin@contoso.com", "admin-Pass1!", paneAuthorizeParams(challenge));
    expect(ok.status).toBe(302);
    expect(ok.location.startsWith(`${REDIRECT}#`)).toBe(true);
    const params = fragmentParams(ok.location);
    expect(params.get("state")).toBe("st-1");
    expect(JSON.parse(Buffer.from(params.get("client_info")!, "base64url").toString())).toEqual({
      uid: emu.state.getTenant(CONTOSO())!.directory.users.find((u) => u.userPrincipalName === "admin@contoso.com")!.id,
      utid: CONTOSO(),
    });
    const code = params.get("code")!;

    const wrongVerifier = await postForm(emu, CONTOSO(), {
      grant_type: "authorization_code",
      client_id: emu.config.apps.pane.clientId,
      code,
      redirect_uri: REDIRECT,
      code_verifier: pkce().verifier,
    });
    expectEntraError(wrongVerifier, 400, "invalid_grant", 501481);

    const { verifier: v2, challenge: c2 } = pkce();
    const second = await signIn("admin@contoso.com", "admin-Pass1!", paneAuthorizeParams(c2));
    const code2 = fragmentParams(second.location).get("code")!;
    const redeem = await postForm(
      emu,
      CONTOSO(),
      {
        grant_type: "authorization_code",
        client_id: emu.config.apps.pane.clientId,
        code: code2,
        redirect_uri: REDIRECT,
        code_verifier: v2,
        client_info: "1",
      },
      { origin: "https://localhost:3000" },
    );
    expect(redeem.status).toBe(200);
    expect(redeem.headers["access-control-allow-origin"]).toBe("https://localhost:3000");
    const tokens = redeem.json<TokenBody>();
    expect(tokens.scope).toBe("User.Read openid profile");
    expect(decodeJwt(tokens.id_token!)).toMatchObject({
      nonce: "n-1",
      aud: emu.config.apps.pane.clientId,
      preferred_username: "admin@contoso.com",
      ver: "2.0",
    });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: "00000003-0000-0000-c000-000000000000",
      scp: "User.Read",
      tid: CONTOSO(),
    });

    const again = await postForm(emu, CONTOSO(), {
      grant_type: "authorization_code",
      client_id: emu.config.apps.pane.clientId,
      code: code2,
      redirect_uri: REDIRECT,
      code_verifier: v2,
    });
    expectEntraError(again, 400, "invalid_grant", 54005);

    const refreshed = await postForm(emu, CONTOSO(), {
      grant_type: "refresh_token",
      client_id: emu.config.apps.pane.clientId,
      refresh_token: tokens.refresh_token!,
      scope: `${emu.config.apps.api.scope} openid offline_access`,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.json<TokenBody>().access_token)).toMatchObject({
      aud: emu.config.apps.api.clientId,
      scp: "access_as_user",
    });

    const otherTenant = await postForm(emu, FABRIKAM(), {
      grant_type: "refresh_token",
      client_id: emu.config.apps.pane.clientId,
      refresh_token: tokens.refresh_token!,
      scope: "User.Read",
    });
    expectEntraError(otherTenant, 400, "invalid_grant", 9002313);
  });

  test("an expired code is AADSTS70008", async () => {
    const { verifier, challenge } = pkce();
    const ok = await signIn("user@contoso.com", "user-Pass1!", paneAuthorizeParams(challenge));
    const code = fragmentParams(ok.location).get("code")!;
    clock += 11 * 60 * 1000;
    try {
      const res = await postForm(emu, CONTOSO(), {
        grant_type: "authorization_code",
        client_id: emu.config.apps.pane.clientId,
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      expectEntraError(res, 400, "invalid_grant", 70008);
    } finally {
      clock -= 11 * 60 * 1000;
    }
  });

  test("session: prompt=none answers silently; without a session it is login_required; prompt=login shows the form; query mode", async () => {
    const { challenge } = pkce();
    const first = await signIn("user@contoso.com", "user-Pass1!", paneAuthorizeParams(challenge));
    const silent = await request(
      authorizeUrl(paneAuthorizeParams(challenge, { prompt: "none", response_mode: "query" })),
      emu.caPem,
      { headers: { cookie: first.cookie } },
    );
    expect(silent.status).toBe(302);
    const loc = String(silent.headers.location);
    expect(loc.startsWith(`${REDIRECT}?code=`)).toBe(true);

    const noSession = await request(authorizeUrl(paneAuthorizeParams(challenge, { prompt: "none" })), emu.caPem);
    const params = fragmentParams(String(noSession.headers.location));
    expect(params.get("error")).toBe("login_required");
    expect(params.get("error_description")).toMatch(/^AADSTS50058: /);

    const login = await request(authorizeUrl(paneAuthorizeParams(challenge, { prompt: "login" })), emu.caPem, {
      headers: { cookie: first.cookie },
    });
    expect(login.status).toBe(200);
    const select = await request(
      authorizeUrl(paneAuthorizeParams(challenge, { prompt: "select_account" })),
      emu.caPem,
      { headers: { cookie: first.cookie } },
    );
    expect(select.text).toContain("Continue as user@contoso.com");
  });

  test("client and redirect errors show a page; protocol errors go back to the redirect URI", async () => {
    const { challenge } = pkce();
    const unknownApp = await request(
      authorizeUrl(paneAuthorizeParams(challenge, { client_id: "11111111-1111-1111-1111-111111111111" })),
      emu.caPem,
    );
    expect(unknownApp.status).toBe(400);
    expect(unknownApp.text).toContain("AADSTS700016");
    const mismatch = await request(
      authorizeUrl(paneAuthorizeParams(challenge, { redirect_uri: "https://evil.example/cb" })),
      emu.caPem,
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain("AADSTS50011");
    const brk = await request(
      authorizeUrl(paneAuthorizeParams(challenge, { redirect_uri: "brk-multihub://localhost:3000" })),
      emu.caPem,
    );
    expect(brk.status).toBe(200);
    const badScope = await request(
      authorizeUrl(paneAuthorizeParams(challenge, { scope: "User.Fly openid" })),
      emu.caPem,
    );
    const p = fragmentParams(String(badScope.headers.location));
    expect(p.get("error")).toBe("invalid_scope");
    expect(p.get("error_description")).toMatch(/^AADSTS70011: /);
    expect(p.get("state")).toBe("st-1");
  });

  test("consent: the pane has no consent for Directory.Read.All (AADSTS65001)", async () => {
    const { challenge } = pkce();
    const res = await signIn(
      "admin@contoso.com",
      "admin-Pass1!",
      paneAuthorizeParams(challenge, { scope: "Directory.Read.All openid" }),
    );
    const p = fragmentParams(res.location);
    expect(p.get("error")).toBe("invalid_grant");
    expect(p.get("suberror")).toBe("consent_required");
    expect(p.get("error_description")).toMatch(/^AADSTS65001: /);
  });
});

describe("token endpoint errors", () => {
  const ropc = (extra: Record<string, string> = {}): Record<string, string> => ({
    grant_type: "password",
    client_id: emu.config.apps.pane.clientId,
    username: "admin@contoso.com",
    password: "admin-Pass1!",
    scope: "User.Read",
    ...extra,
  });

  test.each([
    ["bad password", CONTOSO, { password: "x" }, 400, "invalid_grant", 50126],
    ["contoso user on fabrikam", FABRIKAM, {}, 400, "invalid_grant", 50034],
    ["unknown scope", CONTOSO, { scope: "User.Fly" }, 400, "invalid_scope", 70011],
    [
      "two resources",
      CONTOSO,
      { scope: "User.Read https://outlook.office365.com/Exchange.Manage" },
      400,
      "invalid_scope",
      28000,
    ],
    ["no consent", CONTOSO, { scope: "Directory.Read.All" }, 400, "invalid_grant", 65001],
    ["unknown app", CONTOSO, { client_id: "11111111-1111-1111-1111-111111111111" }, 400, "unauthorized_client", 700016],
    ["unsupported grant", CONTOSO, { grant_type: "magic" }, 400, "unsupported_grant_type", 70003],
    ["missing username", CONTOSO, { username: "" }, 400, "invalid_request", 900144],
  ] as const)("%s", async (_name, t, extra, status, error, code) => {
    expectEntraError(await postForm(emu, t(), ropc(extra)), status, error, code);
  });

  test("unknown tenant on the token endpoint is AADSTS90002", async () => {
    expectEntraError(await postForm(emu, "nowhere.onmicrosoft.com", ropc()), 400, "invalid_request", 90002);
  });

  test("client credentials errors: secret missing, wrong, scope without /.default, app not in fabrikam, common", async () => {
    const d = emu.config.apps.daemon;
    const base = {
      grant_type: "client_credentials",
      client_id: d.clientId,
      client_secret: d.secret,
      scope: "https://outlook.office365.com/.default",
    };
    expectEntraError(await postForm(emu, CONTOSO(), { ...base, client_secret: "" }), 401, "invalid_client", 7000218);
    expectEntraError(
      await postForm(emu, CONTOSO(), { ...base, client_secret: "nope" }),
      401,
      "invalid_client",
      7000215,
    );
    expectEntraError(
      await postForm(emu, CONTOSO(), { ...base, scope: "https://outlook.office365.com/Exchange.Manage" }),
      400,
      "invalid_scope",
      1002012,
    );
    expectEntraError(await postForm(emu, FABRIKAM(), base), 400, "unauthorized_client", 700016);
    expectEntraError(await postForm(emu, "common", base), 400, "invalid_request", 50194);
    // Basic authentication works as well as the form fields.
    const basic = await postForm(
      emu,
      CONTOSO(),
      { grant_type: "client_credentials", scope: base.scope },
      {
        authorization: `Basic ${Buffer.from(`${d.clientId}:${d.secret}`).toString("base64")}`,
      },
    );
    expect(basic.status).toBe(200);
  });

  test("on-behalf-of errors: wrong audience, other tenant, app token, bad signature (AADSTS50013)", async () => {
    const api = emu.config.apps.api;
    const paneToken = (await postForm(emu, CONTOSO(), ropc({ scope: "User.Read" }))).json<TokenBody>().access_token;
    const apiToken = (await postForm(emu, CONTOSO(), ropc({ scope: api.scope }))).json<TokenBody>().access_token;
    const obo = (assertion: string, t = CONTOSO()) =>
      postForm(emu, t, {
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        client_id: api.clientId,
        client_secret: api.secret,
        assertion,
        requested_token_use: "on_behalf_of",
        scope: "https://outlook.office365.com/.default",
      });
    expect((await obo(apiToken)).status).toBe(200);
    expectEntraError(await obo(paneToken), 400, "invalid_grant", 50013);
    expectEntraError(await obo(apiToken, FABRIKAM()), 400, "invalid_grant", 50013);
    const tampered = apiToken.slice(0, -4) + (apiToken.endsWith("AAAA") ? "BBBB" : "AAAA");
    expectEntraError(await obo(tampered), 400, "invalid_grant", 50013);
  });
});
