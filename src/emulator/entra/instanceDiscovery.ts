import { json } from "../http/router";
import type { EmulatorRequest, EmulatorResponse } from "../http/types";
import { PUBLIC_HOSTS } from "../publicHosts";
import { requestCorrelationId } from "./correlation";
import { entraError, entraErrorResponse } from "./errors";

/**
 * Instance discovery, `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=<url>`,
 * which MSAL calls for an authority it has no metadata for
 * (msal-common Authority.getCloudDiscoveryMetadataFromNetwork; MSAL.NET "Custom authority aliases":
 * https://learn.microsoft.com/entra/msal/dotnet/advanced/custom-authority-aliases).
 *
 * Answer, as Entra records show it (Azure/azure-sdk-for-js nock recordings of
 * `https://login.microsoftonline.com:443/common/discovery/instance`, `cache-control: max-age=86400,
 * private`, `access-control-allow-origin: *`):
 * `{"tenant_discovery_endpoint":"https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration",
 *   "api-version":"1.1","metadata":[{preferred_network, preferred_cache, aliases}, ...one per cloud]}`.
 * An authorization endpoint outside every cloud: "if a non-existent authority is used, then Microsoft
 * Entra ID returns an invalid_instance error" with AADSTS50049 "Unknown or invalid instance." (same page).
 */

interface CloudMetadata {
  preferred_network: string;
  preferred_cache: string;
  aliases: string[];
}

/** The clouds Entra lists, in its order (the recorded answer; the public cloud's aliases are PUBLIC_HOSTS.login). */
const CLOUDS: readonly CloudMetadata[] = [
  {
    preferred_network: "login.microsoftonline.com",
    preferred_cache: "login.windows.net",
    aliases: [...PUBLIC_HOSTS.login],
  },
  {
    preferred_network: "login.partner.microsoftonline.cn",
    preferred_cache: "login.partner.microsoftonline.cn",
    aliases: ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
  },
  {
    preferred_network: "login.microsoftonline.de",
    preferred_cache: "login.microsoftonline.de",
    aliases: ["login.microsoftonline.de"],
  },
  {
    preferred_network: "login.microsoftonline.us",
    preferred_cache: "login.microsoftonline.us",
    aliases: ["login.microsoftonline.us", "login.usgovcloudapi.net"],
  },
  {
    preferred_network: "login-us.microsoftonline.com",
    preferred_cache: "login-us.microsoftonline.com",
    aliases: ["login-us.microsoftonline.com"],
  },
];

const KNOWN_HOSTS = new Set(CLOUDS.flatMap((c) => c.aliases));

export const INSTANCE_DISCOVERY_PATH = "/common/discovery/instance";

export function instanceDiscovery(req: EmulatorRequest, now: Date): EmulatorResponse {
  const unknownInstance = (): EmulatorResponse =>
    entraErrorResponse(
      entraError(50049, "invalid_instance", "Unknown or invalid instance."),
      now,
      requestCorrelationId(req),
      {
        "access-control-allow-origin": "*",
      },
    );
  const raw = req.query.get("authorization_endpoint");
  let endpoint: URL;
  try {
    // [emulator] Without the parameter there is no instance to validate; answered as an unknown one.
    endpoint = new URL(raw ?? "");
  } catch {
    return unknownInstance();
  }
  if (endpoint.protocol !== "https:" || endpoint.port !== "" || !KNOWN_HOSTS.has(endpoint.hostname.toLowerCase())) {
    return unknownInstance();
  }
  // The tenant segment of `https://<host>/<tenant>/oauth2[/v2.0]/authorize`; the document named is the
  // v2 one for v2 endpoints, the v1 one otherwise, on the host that was named.
  const [tenant = "common", ...rest] = endpoint.pathname.split("/").filter((s) => s !== "");
  const v2 = rest.join("/").toLowerCase() === "oauth2/v2.0/authorize";
  const host = endpoint.hostname.toLowerCase();
  return json(
    200,
    {
      tenant_discovery_endpoint: `https://${host}/${tenant}/${v2 ? "v2.0/" : ""}.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: CLOUDS.map((c) => ({ ...c, aliases: [...c.aliases] })),
    },
    { "cache-control": "max-age=86400, private", "access-control-allow-origin": "*" },
  );
}
