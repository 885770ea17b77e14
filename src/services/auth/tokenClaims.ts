import { decodeJwt, type JWTPayload } from "jose";
import { PaneError } from "../errors";

/** The claims the pane shows; the backend verifies the token, the pane only reads it. */
export function readTokenClaims(token: string): { username: string; name: string; tenantId: string } {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch (error) {
    throw new PaneError(
      "sign_in_failed",
      `the host returned a token that is not a JWT (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const text = (key: string): string => {
    const value = claims[key];
    return typeof value === "string" ? value : "";
  };
  const username = text("preferred_username") || text("upn") || text("email");
  return { username, name: text("name") || username, tenantId: text("tid") };
}
