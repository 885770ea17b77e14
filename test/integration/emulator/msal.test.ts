import { ConfidentialClientApplication, PublicClientApplication, type Configuration } from "@azure/msal-node";
import { createLocalJWKSet, jwtVerify } from "jose";
import type { RunningEmulator } from "../../../src/emulator/server";
import { caNetworkClient, decodeJwt, request, startTestEmulator } from "./helpers";

/**
 * msal-node with a production configuration: only the authority and knownAuthorities point at
 * the emulator, and the CA is trusted through the network client.
 */
let emu: RunningEmulator;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ emu, stop } = await startTestEmulator());
});
afterAll(async () => stop());

function msalSystem(): Configuration["system"] {
  return { networkClient: caNetworkClient(emu.caPem) };
}

function contoso(): { id: string; authority: string } {
  const t = emu.config.tenants.find((x) => x.name === "contoso.onmicrosoft.com")!;
  return { id: t.id, authority: t.authority };
}

function knownAuthorities(): string[] {
  return [new URL(emu.origin).host];
}

/** jose verifies emitted tokens against the emulator's JWKS (fetched over https with the CA). */
async function verifyWithJose(token: string, audience: string, issuer: string): Promise<Record<string, unknown>> {
  const keysUrl = `${emu.origin}/${contoso().id}/discovery/v2.0/keys`;
  const jwks = await request(keysUrl, emu.caPem);
  const set = createLocalJWKSet(jwks.json());
  const { payload } = await jwtVerify(token, set, { audience, issuer, algorithms: ["RS256"] });
  return payload;
}

test("client credentials: the daemon gets an app-only Exchange token with Exchange.ManageAsApp and its role", async () => {
  const cfg = emu.config.apps.daemon;
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: cfg.clientId,
      clientSecret: cfg.secret,
      authority: contoso().authority,
      knownAuthorities: knownAuthorities(),
    },
    system: msalSystem(),
  });
  const result = await cca.acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"] });
  expect(result?.accessToken).toBeTruthy();
  const claims = await verifyWithJose(
    result!.accessToken,
    "https://outlook.office365.com",
    // v1 tokens (Exchange, Graph) carry Entra's v1 issuer in every mode.
    `https://sts.windows.net/${contoso().id}/`,
  );
  expect(claims).toMatchObject({
    tid: contoso().id,
    roles: ["Exchange.ManageAsApp"],
    appid: cfg.clientId,
    idtyp: "app",
    ver: "1.0",
    wids: ["29232cdf-9323-42fd-ade2-1d097af3e4de"],
  });
});

test("ROPC with the public pane app, then on-behalf-of by the API for Exchange and Graph", async () => {
  const pane = emu.config.apps.pane;
  const api = emu.config.apps.api;
  const pca = new PublicClientApplication({
    auth: { clientId: pane.clientId, authority: contoso().authority, knownAuthorities: knownAuthorities() },
    system: msalSystem(),
  });
  const user = await pca.acquireTokenByUsernamePassword({
    scopes: [api.scope],
    username: "exchange.admin@contoso.com",
    password: "exchange.admin-Pass1!",
  });
  expect(user?.account?.username).toBe("exchange.admin@contoso.com");
  expect(user?.account?.tenantId).toBe(contoso().id);
  const apiClaims = await verifyWithJose(user!.accessToken, api.clientId, `${emu.origin}/${contoso().id}/v2.0`);
  expect(apiClaims).toMatchObject({
    scp: "access_as_user",
    azp: pane.clientId,
    ver: "2.0",
    preferred_username: "exchange.admin@contoso.com",
  });
  expect(apiClaims.wids).toContain("29232cdf-9323-42fd-ade2-1d097af3e4de");
  // The ID token is for the pane.
  expect(decodeJwt(user!.idToken)).toMatchObject({ aud: pane.clientId, tid: contoso().id });

  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: api.clientId,
      clientSecret: api.secret,
      authority: contoso().authority,
      knownAuthorities: knownAuthorities(),
    },
    system: msalSystem(),
  });
  const exo = await cca.acquireTokenOnBehalfOf({
    oboAssertion: user!.accessToken,
    scopes: ["https://outlook.office365.com/.default"],
  });
  expect(decodeJwt(exo!.accessToken)).toMatchObject({
    aud: "https://outlook.office365.com",
    scp: "Exchange.Manage",
    upn: "exchange.admin@contoso.com",
    appid: api.clientId,
  });
  const graph = await cca.acquireTokenOnBehalfOf({
    oboAssertion: user!.accessToken,
    scopes: ["https://graph.microsoft.com/.default"],
  });
  const me = await request(`${emu.origin}/v1.0/me`, emu.caPem, {
    headers: { authorization: `Bearer ${graph!.accessToken}` },
  });
  expect(me.status).toBe(200);
  expect(me.json()).toMatchObject({ userPrincipalName: "exchange.admin@contoso.com" });
});

test("msal-node surfaces Entra's errors: wrong password (AADSTS50126) and wrong secret (AADSTS7000215)", async () => {
  const pca = new PublicClientApplication({
    auth: {
      clientId: emu.config.apps.pane.clientId,
      authority: contoso().authority,
      knownAuthorities: knownAuthorities(),
    },
    system: msalSystem(),
  });
  await expect(
    pca.acquireTokenByUsernamePassword({ scopes: ["User.Read"], username: "admin@contoso.com", password: "wrong" }),
  ).rejects.toMatchObject({
    errorCode: "invalid_grant",
    errorMessage: expect.stringMatching(/Description: AADSTS50126: /) as unknown,
  });
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: emu.config.apps.daemon.clientId,
      clientSecret: "nope",
      authority: contoso().authority,
      knownAuthorities: knownAuthorities(),
    },
    system: msalSystem(),
  });
  await expect(
    cca.acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"] }),
  ).rejects.toMatchObject({
    errorCode: "invalid_client",
    errorMessage: expect.stringMatching(/Description: AADSTS7000215: /) as unknown,
  });
});
