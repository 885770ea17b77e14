import { useCallback, useEffect, useState } from "react";
import { toPaneError } from "../../services/errors";
import type { ThemeName } from "../../services/host";
import type { AppPhase, AppProps, AppRoute } from "./App.types";

function routeFromHash(hash: string): AppRoute {
  return hash.replace(/^#\/?/, "").startsWith("progress") ? "progress" : "setup";
}

export interface AppModel {
  readonly phase: AppPhase;
  readonly route: AppRoute;
  readonly theme: ThemeName;
  readonly navigate: (route: AppRoute) => void;
  readonly signIn: () => void;
  readonly signOut: () => void;
  readonly retry: () => void;
}

/** Start-up: config + sign-in (lazy), then who the user is (/api/me), then the views. */
export function useApp(props: AppProps): AppModel {
  const { host, profile, startAuth, connect } = props;
  const [phase, setPhase] = useState<AppPhase>({ kind: "starting" });
  const [route, setRoute] = useState<AppRoute>(() => routeFromHash(window.location.hash));
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => host.onThemeChange(setTheme), [host]);

  useEffect(() => {
    const onHash = (): void => setRoute(routeFromHash(window.location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    let cancelled = false;
    const start = async (): Promise<void> => {
      let started;
      try {
        started = await startAuth();
      } catch (err) {
        if (!cancelled) setPhase({ kind: "error", error: toPaneError(err, "sign_in_failed") });
        return;
      }
      const { auth, config, account } = started;
      if (!account) {
        if (!cancelled) setPhase({ kind: "signed-out", auth });
        return;
      }
      if (!cancelled) setPhase({ kind: "loading-session", account });
      try {
        const clients = connect(auth, config);
        const session = await clients.backend.me();
        if (!cancelled) setPhase({ kind: "ready", services: { ...clients, host, auth, profile, session } });
      } catch (err) {
        if (!cancelled) setPhase({ kind: "error", error: toPaneError(err), auth });
      }
    };
    void start();
    return () => {
      cancelled = true;
    };
  }, [startAuth, connect, host, profile, attempt]);

  const navigate = useCallback((next: AppRoute) => {
    window.location.hash = next === "progress" ? "#/progress" : "#/";
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

  const signIn = useCallback(() => {
    if (!auth) return;
    auth.signIn().catch((err: unknown) => setPhase({ kind: "error", error: toPaneError(err, "sign_in_failed"), auth }));
  }, [auth]);

  const signOut = useCallback(() => {
    if (!auth) return;
    auth.signOut().catch((err: unknown) => setPhase({ kind: "error", error: toPaneError(err), auth }));
  }, [auth]);

  const retry = useCallback(() => {
    setPhase({ kind: "starting" });
    setAttempt((n) => n + 1);
  }, []);

  return { phase, route, theme, navigate, signIn, signOut, retry };
}
