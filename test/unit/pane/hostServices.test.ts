/** The pure parts of the pane's host integration (the browser tests in test/e2e-teams cover the rest). */
import { PaneError } from "../../../src/services/errors";
import { msalSignInError, teamsSsoError } from "../../../src/services/auth/authErrors";
import { tenantAuthority } from "../../../src/services/auth/nestedAppAuth";
import { readTokenClaims } from "../../../src/services/auth/tokenClaims";
import { paneViewUrl, themeFromParam, themeFromTeams } from "../../../src/services/host";
import { detectHost, isTaskPanePage } from "../../../src/services/hostDetect";
import { withTimeout } from "../../../src/services/hostTimeout";
import { themeFromBackground } from "../../../src/services/hostOutlook";
import { channelTabSettings } from "../../../src/components/TabConfig/TabConfig";

function jwt(claims: object): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(claims)}.sig`;
}

describe("host detection", () => {
  it("a plain tab is the browser host at once (teams-js is never loaded)", async () => {
    const tab = { location: { pathname: "/index.html", search: "?theme=dark", origin: "https://pane.example" } };
    const win = Object.assign(tab, { parent: tab }) as unknown as Window;
    const host = await detectHost(win, 10);
    expect(host.theme).toBe("dark");
    expect(host.kind).toBe("browser");
    expect(host.signInMode).toBeUndefined();
  });

  it("knows the Outlook add-in page by its path", () => {
    expect(isTaskPanePage({ location: { pathname: "/taskpane.html" } } as Window)).toBe(true);
    expect(isTaskPanePage({ location: { pathname: "/index.html" } } as Window)).toBe(false);
  });

  it("gives up waiting on a host that never answers", async () => {
    await expect(withTimeout(new Promise<boolean>(() => undefined), 5, false)).resolves.toBe(false);
    await expect(withTimeout(Promise.resolve(true), 1000, false)).resolves.toBe(true);
  });
});

describe("themes", () => {
  it("maps teams-js and Office themes to the pane's", () => {
    expect([themeFromTeams("default"), themeFromTeams("dark"), themeFromTeams("contrast")]).toEqual([
      "light",
      "dark",
      "contrast",
    ]);
    expect(themeFromParam("highContrast")).toBe("contrast");
    expect(themeFromBackground("#1f1f1f")).toBe("dark");
    expect(themeFromBackground("#ffffff")).toBe("light");
    expect(themeFromBackground(undefined)).toBe("light");
  });
});

describe("links and tab settings", () => {
  it("the progress link and the channel tab point at the progress view on the pane's origin", () => {
    expect(paneViewUrl("https://pane.example", "progress")).toBe("https://pane.example/index.html#/progress");
    expect(channelTabSettings("https://pane.example", "  IT journaling ")).toEqual({
      contentUrl: "https://pane.example/index.html#/progress",
      websiteUrl: "https://pane.example/index.html#/progress",
      entityId: "journaling-progress",
      suggestedDisplayName: "IT journaling",
    });
  });
});

describe("sign-in errors", () => {
  it("Teams SSO reasons become the pane's codes", () => {
    expect(teamsSsoError(new Error("resourceRequiresConsent")).code).toBe("consent_required");
    expect(teamsSsoError(new Error("CancelledByUser")).code).toBe("interaction_required");
    expect(teamsSsoError(new Error("invalid_grant: AADSTS50126")).code).toBe("sign_in_failed");
  });

  it("MSAL errors become the pane's codes", () => {
    const msal = (errorCode: string, message = errorCode): Error => Object.assign(new Error(message), { errorCode });
    expect(msalSignInError(msal("invalid_grant", "AADSTS65001: not consented")).code).toBe("consent_required");
    expect(msalSignInError(msal("popup_window_error")).code).toBe("popup_blocked");
    expect(msalSignInError(msal("user_cancelled")).code).toBe("interaction_required");
    const kept = new PaneError("network_unreachable", "x");
    expect(msalSignInError(kept)).toBe(kept);
  });

  it("reads who signed in from the SSO token and uses the host's tenant as authority", () => {
    expect(readTokenClaims(jwt({ preferred_username: "ana@contoso.com", name: "Ana Ñúñez", tid: "t1" }))).toEqual({
      username: "ana@contoso.com",
      name: "Ana Ñúñez",
      tenantId: "t1",
    });
    expect(() => readTokenClaims("opaque")).toThrow(PaneError);
    const notJson = `${Buffer.from("{}").toString("base64url")}.${Buffer.from("not json").toString("base64url")}.sig`;
    expect(() => readTokenClaims(notJson)).toThrow(PaneError);
    expect(() => readTokenClaims(notJson)).toThrow("the host returned a token that is not a JWT");
    expect(tenantAuthority("https://login.microsoftonline.com/organizations", "t1")).toBe(
      "https://login.microsoftonline.com/t1",
    );
    expect(tenantAuthority("https://login.microsoftonline.com/organizations", undefined)).toBe(
      "https://login.microsoftonline.com/organizations",
    );
  });
});
