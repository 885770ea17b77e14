import type { AccountInfo, AuthenticationResult, INetworkModule } from "@azure/msal-node";
import {
  ClientCertificateError,
  readClientCertificate as readServerCertificate,
} from "../server/auth/clientCertificate";
import type { Principal } from "../server/auth/principal";
import { UsageError } from "./command";

/**
 * How `apply` and `status` get an Exchange Online token, as Microsoft documents it for scripts:
 * - app-only (a pipeline): client credentials for `<Exchange>/.default` with a client secret or a
 *   certificate (a client assertion msal-node signs; x5t#S256). The app needs the application
 *   permission Exchange.ManageAsApp and an Entra role such as Exchange Administrator on its service
 *   principal (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2).
 * - a person: the device authorization grant with a public client app registration
 *   (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code); the instructions go
 *   to stderr so stdout stays the command's output.
 */
export type Credentials =
  | { readonly kind: "secret"; readonly clientId: string; readonly secret: string }
  | { readonly kind: "certificate"; readonly clientId: string; readonly pemFile: string }
  | { readonly kind: "device"; readonly clientId: string };

/** Which sign-in the environment asks for: app-only with JA_CLIENT_SECRET or JA_CLIENT_CERTIFICATE, device code otherwise. */
export function credentialsFrom(env: NodeJS.ProcessEnv): Credentials {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const clientId = value("JA_CLIENT_ID");
  if (clientId === undefined) {
    throw new UsageError(
      "JA_CLIENT_ID is not set: name the app registration to sign in with (with JA_CLIENT_SECRET or JA_CLIENT_CERTIFICATE for app-only, alone for a person's device-code sign-in)",
    );
  }
  const certificate = value("JA_CLIENT_CERTIFICATE");
  const secret = value("JA_CLIENT_SECRET");
  if (certificate !== undefined) return { kind: "certificate", clientId, pemFile: certificate };
  if (secret !== undefined) return { kind: "secret", clientId, secret };
  return { kind: "device", clientId };
}

/** The certificate of JA_CLIENT_CERTIFICATE for msal-node; a bad file is a usage error (exit 2). */
export function readClientCertificate(pemFile: string): ReturnType<typeof readServerCertificate> {
  try {
    return readServerCertificate(pemFile);
  } catch (err) {
    if (err instanceof ClientCertificateError) throw new UsageError(err.message);
    throw err;
  }
}

export interface SignInSettings {
  readonly authorityHost: string;
  readonly knownAuthorities: readonly string[];
  readonly exchangeResource: string;
  readonly network: INetworkModule;
  /** Where the device-code instructions go (stderr). */
  readonly tell: (text: string) => void;
}

/** A signed-in caller: who it is (for the store and the audit) and a fresh Exchange token on demand. */
export interface Session {
  readonly principal: Principal;
  readonly exchangeToken: () => Promise<string>;
}

/** Signs in to `tenant` (an id or a domain) and returns the caller named by the token's claims. */
export async function signIn(credentials: Credentials, tenant: string, settings: SignInSettings): Promise<Session> {
  const msal = await import("@azure/msal-node");
  const authority = `${settings.authorityHost}/${tenant}`;
  const scopes = [`${settings.exchangeResource}/.default`];
  const system = {
    networkClient: settings.network,
    loggerOptions: { piiLoggingEnabled: false, logLevel: msal.LogLevel.Error, loggerCallback: () => undefined },
  };
  const auth = { clientId: credentials.clientId, authority, knownAuthorities: [...settings.knownAuthorities] };
  let acquire: () => Promise<AuthenticationResult | null>;
  if (credentials.kind === "device") {
    const pca = new msal.PublicClientApplication({ auth, system });
    let account: AccountInfo | null = null;
    acquire = async () => {
      if (account !== null) return pca.acquireTokenSilent({ account, scopes });
      const result = await pca.acquireTokenByDeviceCode({
        scopes,
        deviceCodeCallback: (response) => settings.tell(`${response.message}\n`),
      });
      account = result?.account ?? null;
      return result;
    };
  } else {
    const cca = new msal.ConfidentialClientApplication({
      auth: {
        ...auth,
        ...(credentials.kind === "secret"
          ? { clientSecret: credentials.secret }
          : { clientCertificate: readClientCertificate(credentials.pemFile) }),
      },
      system,
    });
    // msal-node caches the app token and asks Entra again shortly before it expires.
    acquire = () => cca.acquireTokenByClientCredential({ scopes });
  }
  const token = async (): Promise<string> => {
    const result = await acquire().catch((err: unknown) => {
      throw new SignInError(signInFailure(err));
    });
    if (!result?.accessToken) throw new SignInError("no token came back from Entra ID");
    return result.accessToken;
  };
  const first = await token();
  return { principal: principalOf(first, credentials.kind !== "device"), exchangeToken: token };
}

/** Sign-in failed: Entra's reason (AADSTS code and text), for the person or the pipeline log. */
export class SignInError extends Error {
  readonly code = "sign_in_failed";
  constructor(message: string) {
    super(message);
    this.name = "SignInError";
  }
}

function signInFailure(err: unknown): string {
  const e = err as { errorCode?: string; errorMessage?: string; message?: string };
  const text = (e.errorMessage ?? e.message ?? String(err)).split("\n")[0] ?? "";
  return e.errorCode ? `${e.errorCode}: ${text}` : text;
}

/**
 * Who the token names. It came from Entra over TLS a moment ago and is only read for names and the
 * tenant id here (Exchange validates it): the tenant id keys the store, the UPN or app name the audit.
 */
function principalOf(token: string, appOnly: boolean): Principal {
  const claims = decodeClaims(token);
  const str = (k: string): string | undefined => {
    const v = claims[k];
    return typeof v === "string" ? v : undefined;
  };
  const tenantId = str("tid");
  if (tenantId === undefined) throw new SignInError("the token from Entra ID names no tenant (tid)");
  const appId = str("appid") ?? str("azp") ?? "";
  const upn = appOnly
    ? `${str("app_displayname") ?? "app"} (app ${appId})`
    : (str("upn") ?? str("preferred_username") ?? str("unique_name") ?? str("oid") ?? "unknown user");
  const wids = Array.isArray(claims.wids) ? claims.wids.filter((w): w is string => typeof w === "string") : [];
  return {
    tenantId,
    oid: str("oid") ?? appId,
    upn,
    name: appOnly ? (str("app_displayname") ?? appId) : (str("name") ?? upn),
    wids,
    scopes: (str("scp") ?? "").split(" ").filter((s) => s !== ""),
    // The CLI calls Exchange with its own token; there is no on-behalf-of assertion.
    assertion: "",
    exp: typeof claims.exp === "number" ? claims.exp : 0,
    ...(appOnly ? { appOnly: true } : {}),
  };
}

function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (payload === undefined) throw new SignInError("Entra ID returned a token that is not a JWT");
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new SignInError("Entra ID returned a token that is not a JWT");
  }
}
