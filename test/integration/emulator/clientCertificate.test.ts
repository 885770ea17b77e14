import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { importPKCS8, SignJWT } from "jose";
import type { RunningEmulator } from "../../../src/emulator/server";
import {
  caNetworkClient,
  decodeJwt,
  panePublicClient,
  postForm,
  tenantIdOf,
  useTestEmulator,
  type EntraErrorBody,
} from "./helpers";

/**
 * Certificate credentials: the daemon and the API app carry a certificate (keyCredentials) made in
 * the emulator's data folder; msal-node signs client assertions with it (clientCertificate) for
 * client credentials and on-behalf-of, and Entra's errors answer a bad assertion.
 */
let emu: RunningEmulator;
useTestEmulator((started) => (emu = started));

const CONTOSO = (): string => tenantIdOf(emu, "contoso.onmicrosoft.com");
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const host = (): string[] => [new URL(emu.origin).host];

function cert(app: "daemon" | "api"): { thumbprint: string; thumbprintSha256: string; privateKey: string } {
  const c = emu.config.apps[app].certificate;
  if (c === undefined) throw new Error(`no certificate for ${app}`);
  return {
    thumbprint: c.thumbprint,
    thumbprintSha256: c.thumbprintSha256,
    privateKey: readFileSync(c.privateKeyPath, "utf8"),
  };
}

function daemonApp(clientCertificate: { thumbprintSha256?: string; thumbprint?: string; privateKey: string }) {
  return new ConfidentialClientApplication({
    auth: {
      clientId: emu.config.apps.daemon.clientId,
      clientCertificate,
      authority: `${emu.origin}/${CONTOSO()}`,
      knownAuthorities: host(),
    },
    system: { networkClient: caNetworkClient(emu.caPem) },
  });
}

/** A hand-made assertion (to break one claim at a time). */
async function assertion(
  options: {
    key?: "daemon" | "api";
    thumbprintOf?: "daemon" | "api";
    aud?: string;
    iss?: string;
    exp?: number;
    alg?: "PS256" | "RS256";
    header?: Record<string, string>;
  } = {},
): Promise<string> {
  const signer = cert(options.key ?? "daemon");
  const named = cert(options.thumbprintOf ?? options.key ?? "daemon");
  const alg = options.alg ?? "PS256";
  const now = Math.floor(Date.now() / 1000);
  const clientId = emu.config.apps.daemon.clientId;
  const header = options.header ?? {
    [alg === "PS256" ? "x5t#S256" : "x5t"]: Buffer.from(
      alg === "PS256" ? named.thumbprintSha256 : named.thumbprint,
      "hex",
    ).toString("base64url"),
  };
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg, typ: "JWT", ...header })
    .setAudience(options.aud ?? `${emu.origin}/${CONTOSO()}/oauth2/v2.0/token`)
    .setIssuer(options.iss ?? clientId)
    .setSubject(options.iss ?? clientId)
    .setNotBefore(now)
    .setExpirationTime(options.exp ?? now + 600)
    .sign(await importPKCS8(signer.privateKey, alg));
}

function clientCredentials(fields: Record<string, string>) {
  return postForm(emu, CONTOSO(), {
    grant_type: "client_credentials",
    client_id: emu.config.apps.daemon.clientId,
    scope: "https://outlook.office365.com/.default",
    ...fields,
  });
}

function expectError(res: { status: number; json: <T>() => T }, status: number, error: string, code: number): string {
  expect(res.status).toBe(status);
  const body = res.json<EntraErrorBody>();
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([code]);
  return body.error_description;
}

describe("certificate client assertions", () => {
  test("the daemon and the API app publish a certificate credential in the configuration", () => {
    for (const app of ["daemon", "api"] as const) {
      const c = emu.config.apps[app].certificate;
      expect(c?.thumbprint).toMatch(/^[0-9A-F]{40}$/);
      expect(c?.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
      expect(readFileSync(c!.certificatePath, "utf8")).toContain("-----BEGIN CERTIFICATE-----");
    }
  });

  test("msal-node client credentials with clientCertificate { thumbprintSha256, privateKey } (PS256, x5t#S256)", async () => {
    const { thumbprintSha256, privateKey } = cert("daemon");
    const result = await daemonApp({ thumbprintSha256, privateKey }).acquireTokenByClientCredential({
      scopes: ["https://outlook.office365.com/.default"],
    });
    expect(decodeJwt(result!.accessToken)).toMatchObject({
      appid: emu.config.apps.daemon.clientId,
      appidacr: "2",
      roles: ["Exchange.ManageAsApp"],
      idtyp: "app",
    });
  });

  test("msal-node with the SHA-1 thumbprint (RS256, x5t) works too", async () => {
    const { thumbprint, privateKey } = cert("daemon");
    const result = await daemonApp({ thumbprint, privateKey }).acquireTokenByClientCredential({
      scopes: ["https://outlook.office365.com/.default"],
    });
    expect(result?.accessToken).toBeTruthy();
  });

  test("msal-node on-behalf-of with the API app's certificate", async () => {
    const pca = panePublicClient(emu, CONTOSO());
    const user = await pca.acquireTokenByUsernamePassword({
      scopes: [emu.config.apps.api.scope],
      username: "exchange.admin@contoso.com",
      password: "exchange.admin-Pass1!",
    });
    const { thumbprintSha256, privateKey } = cert("api");
    const api = new ConfidentialClientApplication({
      auth: {
        clientId: emu.config.apps.api.clientId,
        clientCertificate: { thumbprintSha256, privateKey },
        authority: `${emu.origin}/${CONTOSO()}`,
        knownAuthorities: host(),
      },
      system: { networkClient: caNetworkClient(emu.caPem) },
    });
    const obo = await api.acquireTokenOnBehalfOf({
      oboAssertion: user!.accessToken,
      scopes: ["https://outlook.office365.com/.default"],
    });
    expect(decodeJwt(obo!.accessToken)).toMatchObject({ upn: "exchange.admin@contoso.com", appidacr: "2" });
  });

  test("a certificate that is not the app's: AADSTS700027 naming the thumbprint", async () => {
    const description = expectError(
      await clientCredentials({
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion({ key: "api" }),
      }),
      401,
      "invalid_client",
      700027,
    );
    expect(description).toContain(
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${cert("api").thumbprintSha256}'`,
    );
  });

  test("the app's thumbprint with another key's signature: AADSTS700027 'Key was found, but ...'", async () => {
    const description = expectError(
      await clientCredentials({
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion({ key: "api", thumbprintOf: "daemon" }),
      }),
      401,
      "invalid_client",
      700027,
    );
    expect(description).toMatch(
      /^AADSTS700027: Client assertion contains an invalid signature\. \[Reason - Key was found, but use of the key to verify the signature failed\., Thumbprint of key used by client: '[0-9A-F]{64}', Found key 'Start=\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d, End=/,
    );
  });

  test("an expired assertion: AADSTS700024 with the times", async () => {
    const description = expectError(
      await clientCredentials({
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion({ exp: Math.floor(Date.now() / 1000) - 3600 }),
      }),
      401,
      "invalid_client",
      700024,
    );
    expect(description).toMatch(
      /^AADSTS700024: Client assertion is not within its valid time range\. Current time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z, assertion valid from .+, expiry time of assertion .+\. Review the documentation at https:\/\/learn\.microsoft\.com\/entra\/identity-platform\/certificate-credentials \./,
    );
  });

  test("issuer not the client id (700021), audience not the token endpoint (700023), no thumbprint (5002723)", async () => {
    const send = async (a: string) => clientCredentials({ client_assertion_type: ASSERTION_TYPE, client_assertion: a });
    expectError(await send(await assertion({ iss: emu.config.apps.api.clientId })), 401, "invalid_client", 700021);
    expectError(await send(await assertion({ aud: "https://elsewhere.example/token" })), 401, "invalid_client", 700023);
    expectError(await send(await assertion({ header: {} })), 401, "invalid_client", 5002723);
    expectError(await send("not.a.jwt"), 400, "invalid_request", 50027);
  });

  test("client_assertion without client_assertion_type (900144); a public client may not present one (700025)", async () => {
    expectError(await clientCredentials({ client_assertion: await assertion() }), 400, "invalid_request", 900144);
    const res = await postForm(emu, CONTOSO(), {
      grant_type: "password",
      client_id: emu.config.apps.pane.clientId,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(),
      username: "admin@contoso.com",
      password: "admin-Pass1!",
      scope: "User.Read",
    });
    expectError(res, 401, "invalid_client", 700025);
  });
});
