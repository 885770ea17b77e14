/** The dev host's account, read from the emulator's ID token (the browser tests in test/e2e-host cover the flow). */
import { hostUserFrom } from "../../../src/devhost/tokens";

function jwt(claims: object): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2ln`;
}

const tokens = { ok: true as const, accessToken: "at", expiresIn: 3600, scope: "openid" };

describe("dev host account", () => {
  it("reads the account from the ID token's claims", () => {
    const idToken = jwt({ oid: "o1", tid: "t1", preferred_username: "ana@contoso.com", name: "Ana Ñúñez" });
    expect(hostUserFrom({ ...tokens, idToken }, "localhost:4443")).toEqual({
      oid: "o1",
      tenantId: "t1",
      upn: "ana@contoso.com",
      name: "Ana Ñúñez",
      homeAccountId: "o1.t1",
      environment: "localhost:4443",
    });
  });

  it("takes the home account id from client_info when the token endpoint sent it", () => {
    const clientInfo = Buffer.from(JSON.stringify({ uid: "u9", utid: "ut9" })).toString("base64url");
    const user = hostUserFrom({ ...tokens, idToken: jwt({ oid: "o1", tid: "t1" }), clientInfo }, "h");
    expect(user.homeAccountId).toBe("u9.ut9");
  });

  it("an ID token that is not a JWT gives an empty account rather than a crash", () => {
    const user = hostUserFrom({ ...tokens, idToken: "not-a-jwt" }, "h");
    expect(user).toMatchObject({ oid: "", tenantId: "", upn: "", name: "", homeAccountId: "." });
  });
});
