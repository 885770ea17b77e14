/** The dev host's message log never shows a token in clear (issue 10): claims, or 8 characters and "…". */
import { redactText, redactValue, tokenSummary } from "../../../src/devhost/page/redactTokens";

function jwt(claims: object): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT", kid: "k1" })}.${part(claims)}.${"s1gn4tur3_-".repeat(30)}`;
}

const ACCESS = jwt({
  aud: "api://journaling-assistant",
  scp: "access_as_user",
  upn: "exchange.admin@contoso.com",
  preferred_username: "exchange.admin@contoso.com",
  tid: "7d1e6f8a-0000-4000-8000-000000000001",
  exp: 1_767_225_600,
  oid: "secret-ish-object-id",
});
const ID = jwt({ aud: "pane-client-id", preferred_username: "ana@contoso.com", tid: "t1", exp: 1_767_225_600 });

describe("token summaries", () => {
  it("show the access token's claims (aud, scp, upn, tid, exp), not the token", () => {
    expect(tokenSummary(ACCESS)).toBe(
      "token(aud=api://journaling-assistant scp=access_as_user upn=exchange.admin@contoso.com tid=7d1e6f8a-0000-4000-8000-000000000001 exp=2026-01-01T00:00:00Z)",
    );
  });

  it("use preferred_username when the token has no upn", () => {
    expect(tokenSummary(ID)).toBe(
      "token(aud=pane-client-id preferred_username=ana@contoso.com tid=t1 exp=2026-01-01T00:00:00Z)",
    );
  });

  it("show only the first 8 characters of a token that is not a readable JWT", () => {
    expect(tokenSummary("opaque-token-0123456789abcdef")).toBe("opaque-t…");
    expect(tokenSummary("eyJhbGciOi.eyJub3QganNvbg.sig")).toBe("eyJhbGci…");
  });
});

describe("the logged messages", () => {
  it("getAuthToken's reply [true, token] keeps the claims and drops the token", () => {
    const logged = redactValue([true, ACCESS]) as unknown[];
    expect(logged[0]).toBe(true);
    expect(logged[1]).toMatch(/^token\(aud=api:\/\/journaling-assistant scp=access_as_user upn=/);
    expect(JSON.stringify(logged)).not.toContain(ACCESS.split(".")[1]);
  });

  it("the NAA bridge's response (JSON in a string) loses its access and ID tokens but stays JSON", () => {
    const response = JSON.stringify({
      messageType: "NestedAppAuthResponse",
      requestId: "r1",
      success: true,
      token: { access_token: ACCESS, id_token: ID, expires_in: 3599, scope: "access_as_user" },
      account: { username: "exchange.admin@contoso.com" },
    });
    const logged = redactValue([null, response]) as [null, string];
    expect(logged[1]).not.toContain(ACCESS.split(".")[1]);
    expect(logged[1]).not.toContain(ID.split(".")[1]);
    const parsed = JSON.parse(logged[1]) as { token: Record<string, unknown>; requestId: string };
    expect(parsed.requestId).toBe("r1");
    expect(parsed.token.access_token).toMatch(/^token\(aud=api:\/\/journaling-assistant /);
    expect(parsed.token.id_token).toMatch(/^token\(aud=pane-client-id /);
    expect(parsed.token.expires_in).toBe(3599);
  });

  it("a token under a token key is summarised even when it is not a JWT", () => {
    expect(redactValue({ accessToken: "opaque-token-0123456789abcdef", note: "kept" })).toEqual({
      accessToken: "opaque-t…",
      note: "kept",
    });
    expect(redactText('{"access_token":"opaque-token-0123456789abcdef"}')).toBe('{"access_token":"opaque-t…"}');
  });

  it("leaves messages without tokens as they are", () => {
    const request = '{"messageType":"NestedAppAuthRequest","method":"GetTokenPopup","requestId":"r2"}';
    expect(redactValue([request, 3, { theme: "dark" }])).toEqual([request, 3, { theme: "dark" }]);
  });

  it("does not change what it was given (the app still gets its token)", () => {
    const args = [true, ACCESS];
    redactValue(args);
    expect(args).toEqual([true, ACCESS]);
  });
});
