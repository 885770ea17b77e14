import { createRoot } from "react-dom/client";
import { area1 } from "../core/profiles/area1";
import { App } from "../components/App/App";
import type { AppProps } from "../components/App/App.types";
import { graphScopes } from "../services/auth/authService";
import { createBackendClient } from "../services/backend/backendClient";
import { DEFAULT_GRAPH_SCOPES, loadPaneConfig } from "../services/config";
import { createBrowserHost } from "../services/host";
import { createLazyDirectory } from "../services/lazyDirectory";

/**
 * The composition root: picks the host and sign-in implementations (a plain browser for now; the
 * Teams / Outlook ones arrive with issue 6) and hands them to the App. MSAL, the Graph client and
 * every view after sign-in are separate chunks, loaded after the first render.
 */
const host = createBrowserHost();

const startAuth: AppProps["startAuth"] = async () => {
  const [config, authModule] = await Promise.all([
    loadPaneConfig(),
    import(/* webpackChunkName: "auth" */ "../services/auth/browserRedirectAuth"),
  ]);
  const auth = authModule.createBrowserRedirectAuth(config);
  const account = await auth.initialize();
  return { auth, config, account };
};

const connect: AppProps["connect"] = (auth, config) => ({
  backend: createBackendClient({ baseUrl: config.backendUrl, getToken: () => auth.getToken([config.apiScope]) }),
  directory: createLazyDirectory({
    baseUrl: config.graphBaseUrl,
    getToken: () => auth.getToken(graphScopes(DEFAULT_GRAPH_SCOPES)),
  }),
});

const container = document.getElementById("root");
if (container) {
  createRoot(container).render(<App host={host} profile={area1} startAuth={startAuth} connect={connect} />);
}
