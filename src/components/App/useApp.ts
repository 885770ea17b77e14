import { useCallback, useEffect, useRef, useState } from "react";
import type { AuthService, SignedInAccount } from "../../services/auth/authService";
import type { PaneConfig } from "../../services/config";
import { STATUS_SUB_PAGE_ID } from "../../core/contract/monitor";
import { toPaneError } from "../../services/errors";
import { prefetchStatus } from "../common/statusPrefetch";
import { shellChunk, statusViewChunk } from "./statusChunks";
import type { HostService, ThemeName } from "../../services/host";
import { CHANNEL_TAB_ENTITY_ID, type AppPhase, type AppProps, type AppRoute } from "./App.types";

/** The host as the sign-in ended up using it (nested app auth may have fallen back to Teams SSO). */
export function hostAsSignedIn(host: HostService, auth: AuthService): HostService {
  const mode = auth.signInMode?.();
  return mode === undefined || mode === host.signInMode ? host : { ...host, signInMode: mode };
}

function routeFromHash(hash: string): AppRoute {
  const path = hash.replace(/^#\/?/, "");
  if (path.startsWith("progress")) return "progress";
  return path.startsWith(STATUS_SUB_PAGE_ID) ? "status" : "setup";
}

/** The signed-in shell and the Status view, loaded while the pane signs in (see statusChunks). */
function preloadStatusView(): void {
  void shellChunk.preload();
  void statusViewChunk.preload();
}

/** A deep link's sub page or the channel tab open the shared progress; otherwise the address decides. */
function initialRoute(host: HostService, hash: string): AppRoute {
  const context = host.context;
  // An alert's activity notification or deep link opens the status (issue 14), in either tab.
  if (context?.subPageId === STATUS_SUB_PAGE_ID) return "status";
  if (context?.subPageId === "progress" || context?.entityId === CHANNEL_TAB_ENTITY_ID) return "progress";
  if (context?.subPageId === "setup") return "setup";
  return routeFromHash(hash);
}

export interface AppModel {
  readonly phase: AppPhase;
  readonly route: AppRoute;
  readonly theme: ThemeName;
  readonly host: HostService;
  readonly navigate: (route: AppRoute) => void;
  readonly signIn: () => void;
  readonly signOut: () => void;
  readonly retry: () => void;
}

/**
 * Start-up: where are we (host detection), then config + sign-in (lazy), then who the user is
 * (/api/me), then the views. A channel tab's configuration page needs no sign-in.
 */
export function useApp(props: AppProps): AppModel {
  const { profile, detectHost, startAuth, connect } = props;
  const [host, setHost] = useState<HostService>(props.host);
  const [detected, setDetected] = useState(false);
  const [phase, setPhase] = useState<AppPhase>({ kind: "starting" });
  const [route, setRoute] = useState<AppRoute>(() => routeFromHash(window.location.hash));
  const routeRef = useRef(route);
  routeRef.current = route;
  const [theme, setTheme] = useState<ThemeName>(props.host.theme);
  const [attempt, setAttempt] = useState(0);
  /** The configuration that goes with the current sign-in, for continuing after a Sign in click in a host. */
  const configRef = useRef<PaneConfig | null>(null);

  /** Who the user is (/api/me), then the views. */
  const openSession = useCallback(
    async (auth: AuthService, config: PaneConfig, account: SignedInAccount, live: () => boolean): Promise<void> => {
      if (live()) setPhase({ kind: "loading-session", account });
      try {
        const signedInHost = hostAsSignedIn(host, auth);
        const clients = connect(auth, config, signedInHost);
        // Opened on the status (an alert's deep link): its reads start now, alongside /api/me and the view's code.
        if (routeRef.current === "status") prefetchStatus(clients.backend);
        const session = await clients.backend.me();
        if (live()) setPhase({ kind: "ready", services: { ...clients, host: signedInHost, auth, profile, session } });
      } catch (err) {
        if (live()) setPhase({ kind: "error", error: toPaneError(err), auth });
      }
    },
    [connect, host, profile],
  );

  useEffect(() => {
    let cancelled = false;
    void detectHost().then((found) => {
      if (cancelled) return;
      setHost(found);
      setTheme(found.theme);
      setRoute(initialRoute(found, window.location.hash));
      setDetected(true);
      found.notifyLoaded?.();
    });
    return () => {
      cancelled = true;
    };
  }, [detectHost]);

  useEffect(() => host.onThemeChange(setTheme), [host]);

  useEffect(() => {
    const onHash = (): void => setRoute(routeFromHash(window.location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    if (!detected) return;
    if (host.tabConfig) {
      setPhase({ kind: "configure-tab", host });
      return;
    }
    let cancelled = false;
    const start = async (): Promise<void> => {
      let started;
      try {
        const signingIn = startAuth(host);
        // The tab opened on the status (an alert's deep link): its code loads while the pane signs in,
        // asked for after the sign-in's own files so that those come first.
        if (routeRef.current === "status") preloadStatusView();
        started = await signingIn;
      } catch (err) {
        if (!cancelled) setPhase({ kind: "error", error: toPaneError(err, "sign_in_failed") });
        return;
      }
      const { auth, config, account } = started;
      configRef.current = config;
      if (!account) {
        if (!cancelled) setPhase({ kind: "signed-out", auth });
        return;
      }
      await openSession(auth, config, account, () => !cancelled);
    };
    void start();
    return () => {
      cancelled = true;
    };
  }, [detected, startAuth, host, attempt, openSession]);

  const navigate = useCallback((next: AppRoute) => {
    window.location.hash = next === "setup" ? "#/" : `#/${next}`;
    setRoute(next);
  }, []);

  const auth =
    phase.kind === "signed-out"
      ? phase.auth
      : phase.kind === "ready"
        ? phase.services.auth
        : phase.kind === "error"
          ? phase.auth
          : undefined;

  const retry = useCallback(() => {
    setPhase({ kind: "starting" });
    setAttempt((n) => n + 1);
  }, []);

  const signIn = useCallback(() => {
    if (!auth) return;
    if (host.kind === "browser") {
      // The browser leaves for the sign-in page and starts again when it comes back.
      auth
        .signIn()
        .catch((err: unknown) => setPhase({ kind: "error", error: toPaneError(err, "sign_in_failed"), auth }));
      return;
    }
    // In a host the sign-in happens in the host's popup (opened by this click) and comes back here:
    // continue with the same client, whose cache now holds the token.
    const inHost = async (): Promise<void> => {
      await auth.signIn();
      const account = await auth.initialize();
      const config = configRef.current;
      if (!account || !config) {
        retry();
        return;
      }
      await openSession(auth, config, account, () => true);
    };
    inHost().catch((err: unknown) => setPhase({ kind: "error", error: toPaneError(err, "sign_in_failed"), auth }));
  }, [auth, host, retry, openSession]);

  const signOut = useCallback(() => {
    if (!auth) return;
    auth.signOut().catch((err: unknown) => setPhase({ kind: "error", error: toPaneError(err), auth }));
  }, [auth]);

  return { phase, route, theme, host, navigate, signIn, signOut, retry };
}
