import { bridgeStatusFor, type HostUser } from "../protocol";

/**
 * The host side of MSAL's nested app auth bridge, shared by the dev host's Teams and Outlook pages:
 * they differ only in how a message reaches the frame (teams-js event vs Office's bridge).
 */

/** What the token endpoint of the dev host answers (page/server contract). */
export type ServerToken =
  | { ok: true; accessToken: string; idToken: string; expiresIn: number; scope: string; account: HostUser }
  | { ok: false; error: string; description: string };

export interface NaaRequest {
  method?: string;
  requestId?: string;
  tokenParams?: { clientId?: string; scope?: string };
}

/** The bridge request in `raw`; undefined when it is not one (nothing to answer). */
export function parseNaaRequest(raw: unknown): NaaRequest | undefined {
  try {
    return JSON.parse(typeof raw === "string" ? raw : "") as NaaRequest;
  } catch {
    return undefined;
  }
}

/**
 * Answers the messages that ask for no token: GetInitContext (the signed-in account) and any method
 * the bridge does not know. False for GetToken / GetTokenPopup, which the caller answers.
 */
export function answerNaaControl(
  method: string,
  user: HostUser | null,
  sdkName: string,
  respond: (body: Record<string, unknown>) => void,
): boolean {
  if (method === "GetInitContext") {
    respond({
      success: true,
      initContext: {
        sdkName,
        sdkVersion: "1.0.0",
        capabilities: { queryAccount: false },
        ...(user === null
          ? {}
          : {
              accountContext: {
                homeAccountId: user.homeAccountId,
                environment: user.environment,
                tenantId: user.tenantId,
              },
            }),
      },
    });
    return true;
  }
  if (method !== "GetToken" && method !== "GetTokenPopup") {
    respond({
      success: false,
      error: { status: "PERSISTENT_ERROR", code: "unsupported_method", description: method },
    });
    return true;
  }
  return false;
}

/** The bridge's answer to a token request, from the dev host's token endpoint's answer. */
export function naaTokenAnswer(token: ServerToken): Record<string, unknown> {
  if (!token.ok) {
    return {
      success: false,
      error: { status: bridgeStatusFor(token.error), code: token.error, subError: "", description: token.description },
    };
  }
  return {
    success: true,
    token: {
      access_token: token.accessToken,
      id_token: token.idToken,
      expires_in: token.expiresIn,
      scope: token.scope,
      properties: null,
    },
    account: {
      homeAccountId: token.account.homeAccountId,
      environment: token.account.environment,
      tenantId: token.account.tenantId,
      username: token.account.upn,
      localAccountId: token.account.oid,
      name: token.account.name,
      loginHint: token.account.upn,
    },
  };
}
