import { createLocalJWKSet, jwtVerify } from "jose";
import type { RunningEmulator } from "../../../src/emulator/server";
import { panePublicClient, postForm, request, tenantIdOf, useTestEmulator, type EntraErrorBody } from "./helpers";

/**
 * The v1 discovery document beside the v2 one, and `correlation_id` in Entra's errors echoing the
 * caller's client-request-id however it came (header, query parameter as msal-node sends it on the
 * token endpoint, form parameter as on the device code endpoint).
 */
let emu: RunningEmulator;
useTestEmulator((started) => (emu = started));

const CONTOSO = (): string => tenantIdOf(emu, "contoso.onmicrosoft.com");
const CORRELATION = "6e9f8c7a-1b2c-4d3e-8f90-a1b2c3d4e5f6";

describe("v1 OpenID Connect discovery document", () => {
  test.each(["tenant id", "contoso.onmicrosoft.com", "contoso.com"])("for %s", async (name) => {
    const segment = name === "tenant id" ? CONTOSO() : name;
    const res = await request(`${emu.origin}/${segment}/.well-known/openid-configuration`, emu.caPem);
    expect(res.status).toBe(200);
    const doc = res.json<Record<string, unknown>>();
    expect(doc).toMatchObject({
      issuer: `https://sts.windows.net/${CONTOSO()}/`,
      token_endpoint: `${emu.origin}/${CONTOSO()}/oauth2/token`,
      authorization_endpoint: `${emu.origin}/${CONTOSO()}/oauth2/authorize`,
      device_authorization_endpoint: `${emu.origin}/${CONTOSO()}/oauth2/devicecode`,
      jwks_uri: `${emu.origin}/common/discovery/keys`,
      response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
      scopes_supported: ["openid"],
      microsoft_multi_refresh_token: true,
      tenant_region_scope: "NA",
    });
    // The v2 document is unchanged beside it.
    const v2 = await request(`${emu.origin}/${segment}/v2.0/.well-known/openid-configuration`, emu.caPem);
    expect(v2.json<Record<string, unknown>>().issuer).toBe(`${emu.origin}/${CONTOSO()}/v2.0`);
  });

  test("common keeps the segment and the {tenantid} issuer", async () => {
    const doc = (await request(`${emu.origin}/common/.well-known/openid-configuration`, emu.caPem)).json<
      Record<string, unknown>
    >();
    expect(doc.issuer).toBe("https://sts.windows.net/{tenantid}/");
    expect(doc.token_endpoint).toBe(`${emu.origin}/common/oauth2/token`);
    expect(doc.tenant_region_scope).toBeNull();
  });

  test("jwks_uri serves the signing keys: a token verifies against the v1 key set", async () => {
    const doc = (await request(`${emu.origin}/${CONTOSO()}/.well-known/openid-configuration`, emu.caPem)).json<{
      jwks_uri: string;
    }>();
    const keys = await request(doc.jwks_uri, emu.caPem);
    expect(keys.status).toBe(200);
    const token = (
      await postForm(emu, CONTOSO(), {
        grant_type: "client_credentials",
        client_id: emu.config.apps.daemon.clientId,
        client_secret: emu.config.apps.daemon.secret,
        scope: "https://outlook.office365.com/.default",
      })
    ).json<{ access_token: string }>().access_token;
    await expect(jwtVerify(token, createLocalJWKSet(keys.json()), { algorithms: ["RS256"] })).resolves.toBeTruthy();
    expect((await request(`${emu.origin}/${CONTOSO()}/discovery/keys`, emu.caPem)).status).toBe(200);
  });

  test("an unknown tenant is AADSTS90002 in Entra's error body, echoing the caller's correlation id", async () => {
    const res = await request(`${emu.origin}/nowhere.onmicrosoft.com/.well-known/openid-configuration`, emu.caPem, {
      headers: { "client-request-id": CORRELATION },
    });
    expect(res.status).toBe(400);
    const body = res.json<EntraErrorBody>();
    expect(body.error).toBe("invalid_request");
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(/^AADSTS90002: Tenant 'nowhere\.onmicrosoft\.com' not found\./);
    expect(body.correlation_id).toBe(CORRELATION);
  });
});

describe("correlation_id echoes client-request-id", () => {
  const badRopc = {
    grant_type: "password",
    client_id: "",
    username: "admin@contoso.com",
    password: "wrong",
    scope: "User.Read",
  };

  test("sent as a token request form parameter", async () => {
    const res = await postForm(emu, CONTOSO(), {
      ...badRopc,
      client_id: emu.config.apps.pane.clientId,
      "client-request-id": CORRELATION,
    });
    const body = res.json<EntraErrorBody>();
    expect(body.error_codes).toEqual([50126]);
    expect(body.correlation_id).toBe(CORRELATION);
    expect(body.error_description).toContain(`\r\nCorrelation ID: ${CORRELATION}\r\n`);
  });

  test("sent as a query parameter on the token endpoint", async () => {
    const res = await request(
      `${emu.origin}/${CONTOSO()}/oauth2/v2.0/token?client-request-id=${CORRELATION}`,
      emu.caPem,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...badRopc, client_id: emu.config.apps.pane.clientId }).toString(),
      },
    );
    expect(res.json<EntraErrorBody>().correlation_id).toBe(CORRELATION);
  });

  test("sent as a header on the v2 discovery document and the keys", async () => {
    for (const path of ["v2.0/.well-known/openid-configuration", "discovery/v2.0/keys"]) {
      const res = await request(`${emu.origin}/nowhere.example/${path}`, emu.caPem, {
        headers: { "client-request-id": CORRELATION },
      });
      expect(res.json<EntraErrorBody>().correlation_id).toBe(CORRELATION);
    }
  });

  test("on the authorize error page, from the authorize URL", async () => {
    const url = new URL(`${emu.origin}/${CONTOSO()}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: "11111111-1111-1111-1111-111111111111",
      "client-request-id": CORRELATION,
      redirect_uri: "https://localhost:3000/",
      response_type: "code",
      scope: "openid",
    }).toString();
    const res = await request(url.toString(), emu.caPem);
    expect(res.text).toContain("AADSTS700016");
    expect(res.text).toContain(`Correlation ID: ${CORRELATION}`);
  });

  test("msal-node's error carries the correlation id it sent", async () => {
    const pca = panePublicClient(emu, CONTOSO());
    const failure = await pca
      .acquireTokenByUsernamePassword({
        scopes: ["User.Read"],
        username: "admin@contoso.com",
        password: "wrong",
        correlationId: CORRELATION,
      })
      .then(
        () => undefined,
        (e: unknown) => e as { errorCode?: string; errorMessage?: string },
      );
    expect(failure?.errorCode).toBe("invalid_grant");
    expect(failure?.errorMessage).toContain(`Correlation ID: ${CORRELATION}`);
  });
});
