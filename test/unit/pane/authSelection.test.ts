/** Which sign-in the pane uses inside a host, and when it switches (the browser tests cover the real hosts). */
import { msalSignInError } from "../../../src/services/auth/authErrors";
import { describeError } from "../../../src/components/errors/describeError";
import type { AuthService, SignedInAccount } from "../../../src/services/auth/authService";
import {
  isNestedAppAuthUnavailable,
  NestedAppAuthUnavailableError,
  withSsoFallback,
} from "../../../src/services/auth/hostFallback";
import { teamsSsoFallback } from "../../../src/services/auth/selectAuth";
import { PaneError } from "../../../src/services/errors";
import { createBrowserHost } from "../../../src/services/host";
import { hostAsSignedIn } from "../../../src/components/App/useApp";

/** A plain tab's window, as far as createBrowserHost reads it. */
const tab = { location: { search: "", origin: "https://pane.example", pathname: "/index.html" } } as unknown as Window;

const ana: SignedInAccount = { username: "ana@contoso.com", name: "Ana", tenantId: "t1" };

/** An AuthService whose every call answers with `outcome` and is recorded in `calls`. */
function scripted(name: string, outcome: () => Promise<unknown>, calls: string[]): AuthService {
  const call = <T>(what: string): Promise<T> => {
    calls.push(`${name}.${what}`);
    return outcome() as Promise<T>;
  };
  return {
    initialize: () => call("initialize"),
    signIn: () => call("signIn"),
    signOut: () => call("signOut"),
    getToken: () => call("getToken"),
  };
}

describe("nested app auth that the host can't do", () => {
  it("is recognised by the bridge's codes, and only by those", () => {
    const msal = (errorCode: string): Error => Object.assign(new Error(errorCode), { errorCode });
    expect(isNestedAppAuthUnavailable(new NestedAppAuthUnavailableError("no bridge"))).toBe(true);
    expect(isNestedAppAuthUnavailable(msal("nested_app_auth_bridge_disabled"))).toBe(true);
    expect(isNestedAppAuthUnavailable(msal("unsupported_method"))).toBe(true);
    expect(isNestedAppAuthUnavailable(msal("consent_required"))).toBe(false);
    expect(isNestedAppAuthUnavailable(new PaneError("sign_in_failed", "x"))).toBe(false);
    expect(isNestedAppAuthUnavailable(null)).toBe(false);
  });

  it("switches to Teams SSO for this and every later call", async () => {
    const calls: string[] = [];
    const naa = scripted("naa", () => Promise.reject(new NestedAppAuthUnavailableError("no bridge")), calls);
    const sso = scripted("sso", () => Promise.resolve(ana), calls);
    const auth = withSsoFallback(naa, () => Promise.resolve(sso), "Teams");
    expect(auth.signInMode()).toBe("naa");
    await expect(auth.initialize()).resolves.toEqual(ana);
    expect(auth.signInMode()).toBe("teams-sso");
    await auth.getToken(["api://pane/access_as_user"]);
    expect(calls).toEqual(["naa.initialize", "sso.initialize", "sso.getToken"]);
  });

  it("keeps nested app auth, and its errors, when the host can do it", async () => {
    const calls: string[] = [];
    const consent = new PaneError("consent_required", "AADSTS65001");
    const naa = scripted("naa", () => Promise.reject(consent), calls);
    const loadFallback = jest.fn(() => Promise.resolve(scripted("sso", () => Promise.resolve(ana), calls)));
    const auth = withSsoFallback(naa, loadFallback, "Teams");
    await expect(auth.initialize()).rejects.toBe(consent);
    expect(loadFallback).not.toHaveBeenCalled();
    expect(auth.signInMode()).toBe("naa");
  });

  it("explains that the host can't sign in here when it has no SSO either", async () => {
    const naa = scripted("naa", () => Promise.reject(new NestedAppAuthUnavailableError("no bridge")), []);
    const auth = withSsoFallback(naa, () => Promise.resolve(null), "Outlook");
    await expect(auth.initialize()).rejects.toMatchObject({ code: "host_sign_in_unsupported" });
  });

  it("offers no Teams SSO outside a teams-js host", async () => {
    const config = { apiScope: "api://pane/access_as_user" } as Parameters<typeof teamsSsoFallback>[1];
    await expect(teamsSsoFallback(createBrowserHost(tab), config)).resolves.toBeNull();
  });
});

describe("sign-in errors from the host's window", () => {
  it("a closed window asks to sign in again; a blocked one and missing consent say what to do", () => {
    const msal = (errorCode: string, message = errorCode): Error => Object.assign(new Error(message), { errorCode });
    expect(msalSignInError(msal("user_canceled")).code).toBe("interaction_required");
    const blocked = describeError(msalSignInError(msal("popup_window_error")));
    expect(blocked.next).toMatch(/allow pop-ups/);
    const consent = describeError(msalSignInError(msal("consent_required", "AADSTS65001: not consented")));
    expect(consent.next).toMatch(/grant admin consent/);
  });
});

describe("the host the session uses", () => {
  it("takes the sign-in's actual mode, so Graph goes through the backend after a switch to Teams SSO", () => {
    const host = { ...createBrowserHost(tab), kind: "teams" as const, signInMode: "naa" as const };
    const switched: AuthService = {
      initialize: () => Promise.resolve(ana),
      signIn: () => Promise.resolve(),
      signOut: () => Promise.resolve(),
      getToken: () => Promise.resolve("t"),
      signInMode: () => "teams-sso",
    };
    expect(hostAsSignedIn(host, switched).signInMode).toBe("teams-sso");
    expect(hostAsSignedIn(host, { ...switched, signInMode: () => "naa" })).toBe(host);
    const { signInMode: _unused, ...plain } = switched;
    expect(hostAsSignedIn(host, plain)).toBe(host);
  });
});
