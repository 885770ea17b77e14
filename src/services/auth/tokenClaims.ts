import { PaneError } from "../errors";

/** The claims the pane shows; the backend verifies the token, the pane only reads it. */
export function readTokenClaims(token: string): { username: string; name: string; tenantId: string } {
  const payload = token.split(".")[1];
  if (payload === undefined) throw new PaneError("sign_in_failed", "the host returned a token that is not a JWT");
  const binary = atob(
    payload
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(payload.length / 4) * 4, "="),
  );
  const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  const claims = JSON.parse(json) as Record<string, unknown>;
  const text = (key: string): string => (typeof claims[key] === "string" ? claims[key] : "");
  const username = text("preferred_username") || text("upn") || text("email");
  return { username, name: text("name") || username, tenantId: text("tid") };
}
