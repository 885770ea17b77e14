import { createRoot } from "react-dom/client";
import { area1 } from "../core/profiles/area1";
import { App } from "../components/App/App";
import type { AppProps } from "../components/App/App.types";
import { graphScopes } from "../services/auth/authService";
import { createBackendClient } from "../services/backend/backendClient";
import { DEFAULT_GRAPH_SCOPES, loadPaneConfig } from "../services/config";
import { createBrowserHost } from "../services/host";
import { detectHost } from "../services/hostDetect";
import { createLazyDirectory } from "../services/lazyDirectory";
import { finishConsentWindow, isConsentReturn } from "./consentReturn";

/**
 * The composition root for every page (index.html: tabs and browser; config.html: the channel
 * tab's configuration; taskpane.html: the Outlook add-in). The first render needs only React and
 * the Fluent shell; the host library (teams-js or office.js), MSAL, the Graph client and every
 * view after sign-in are separate chunks loaded afterwards.
 */
const firstHost = createBrowserHost();
let signInEarlyTaken = false;

/**
 * What sign-in needs, asked for at page load rather than once the host is detected: the first
 * token, and with it the status a tab opens on, comes that much sooner (bench/tabStatus.ts). In a
 * frame (Teams, Outlook) nested app auth's chunk (MSAL) too. A retry (Sign in again) asks afresh.
 */
const signInEarly = isConsentReturn(window.location.search)
  ? null
  : {
      config: loadPaneConfig(),
      select: import(/* webpackChunkName: "auth-select" */ "../services/auth/selectAuth"),
    };
signInEarly?.config.catch(() => undefined);
signInEarly?.select.catch(() => undefined);
if (signInEarly && window.parent !== window) {
  void import(/* webpackChunkName: "auth-naa" */ "../services/auth/nestedAppAuth").catch(() => undefined);
}

const startAuth: AppProps["startAuth"] = async (host) => {
  const early = signInEarly && !signInEarlyTaken ? signInEarly : null;
  signInEarlyTaken = true;
  const [config, select] = await Promise.all([
    early?.config ?? loadPaneConfig(),
    early?.select ?? import(/* webpackChunkName: "auth-select" */ "../services/auth/selectAuth"),
  ]);
  const auth = await select.createAuthFor(host, config);
  const account = await auth.initialize();
  return { auth, config, account };
};

const connect: AppProps["connect"] = (auth, config, host) => {
  const apiToken = (): Promise<string> => auth.getToken([config.apiScope]);
  // Teams SSO and Outlook's sign-in dialog yield only the API token: the backend reads Graph on
  // behalf of the user (/api/graph).
  const viaBackend = host.signInMode === "teams-sso" || host.signInMode === "office-dialog";
  return {
    backend: createBackendClient({ baseUrl: config.backendUrl, getToken: apiToken }),
    directory: createLazyDirectory(
      viaBackend
        ? { baseUrl: `${config.backendUrl}/api/graph`, getToken: apiToken }
        : { baseUrl: config.graphBaseUrl, getToken: () => auth.getToken(graphScopes(DEFAULT_GRAPH_SCOPES)) },
    ),
  };
};

// Framed in a host, teams-js loads and initializes while React renders the first frame (the first
// call only; a retry asks again).
let earlyHost: ReturnType<typeof detectHost> | null = isConsentReturn(window.location.search) ? null : detectHost();
const findHost = (): ReturnType<typeof detectHost> => {
  const found = earlyHost ?? detectHost();
  earlyHost = null;
  return found;
};

const container = document.getElementById("root");
if (container && isConsentReturn(window.location.search)) {
  // The admin consent window the Keep watching walkthrough opened, back from Microsoft.
  void finishConsentWindow(window, container);
} else if (container) {
  createRoot(container).render(
    <App host={firstHost} detectHost={findHost} profile={area1} startAuth={startAuth} connect={connect} />,
  );
}
