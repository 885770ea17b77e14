import {
  Button,
  FluentProvider,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  type Theme,
} from "@fluentui/react-components";
import React, { Suspense, useEffect } from "react";
import { PaneError } from "../../services/errors";
import type { ThemeName } from "../../services/host";
import { StepSkeleton } from "../common/StepSkeleton";
import { CHANNEL_TAB_ENTITY_ID, type AppProps } from "./App.types";
import { HostSignIn } from "./HostSignIn";
import { shellChunk } from "./statusChunks";
import { useApp } from "./useApp";
import { useAppStyles, useDocumentStyles } from "./useAppStyles.styles";
import { usePageBackground } from "./usePageBackground";

const THEMES: Record<ThemeName, Theme> = {
  light: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

// The first render needs only this shell; what comes after sign-in (and error messages) are chunks.
// Preloadable: a tab opened on the status loads it while signing in, and then renders it without a pause.
const SignedInShell = shellChunk.Component;
const TabConfig = React.lazy(() => import(/* webpackChunkName: "tab-config" */ "../TabConfig/TabConfig"));
const ErrorMessage = React.lazy(() =>
  import(/* webpackChunkName: "shell" */ "../common/ErrorMessage").then((m) => ({ default: m.ErrorMessage })),
);

/** Sign-in errors whose next step (describeError) says "choose Try again"; the button still signs in. */
const SIGN_IN_AGAIN_SAYS_TRY = new Set(["consent_required", "popup_blocked"]);
const codeOf = (error: unknown): string => (error instanceof PaneError ? error.code : "");

/** The pane: theme, header with who is signed in, and the view for the route. */
export function App(props: AppProps): React.JSX.Element {
  useDocumentStyles();
  const styles = useAppStyles();
  const app = useApp(props);
  const { phase, host } = app;

  useEffect(() => {
    // bench/pane.ts measures the time to this mark and the JavaScript loaded before it.
    performance.mark("pane:first-render");
  }, []);
  usePageBackground(THEMES[app.theme], app.theme);

  let body: React.JSX.Element;
  switch (phase.kind) {
    case "starting":
      body = <StepSkeleton label="Starting the Journaling Assistant" />;
      break;
    case "configure-tab":
      body = <TabConfig host={phase.host} />;
      break;
    case "loading-session":
      body = <StepSkeleton label={`Loading the tenant for ${phase.account.username}`} />;
      break;
    case "error":
      body = (
        <ErrorMessage
          error={phase.error}
          onRetry={phase.auth ? app.signIn : app.retry}
          retryLabel={phase.auth && !SIGN_IN_AGAIN_SAYS_TRY.has(codeOf(phase.error)) ? "Sign in" : "Try again"}
        />
      );
      break;
    case "signed-out":
      body =
        host.kind === "browser" ? (
          <section className={styles.card} aria-labelledby="signin-heading">
            <h2 id="signin-heading">Sign in to set up journaling</h2>
            <p>
              Sign in with your work account. Changing the setup needs the Exchange Administrator or Global
              Administrator role; anyone in the tenant can see the progress.
            </p>
            <Button appearance="primary" onClick={app.signIn}>
              Sign in
            </Button>
          </section>
        ) : (
          <HostSignIn hostName={host.context?.hostName} onSignIn={app.signIn} />
        );
      break;
    case "ready":
      body = (
        <SignedInShell
          services={phase.services}
          route={app.route}
          onNavigate={app.navigate}
          channelTab={host.context?.entityId === CHANNEL_TAB_ENTITY_ID}
        />
      );
      break;
  }

  const session = phase.kind === "ready" ? phase.services.session : null;
  // No className on FluentProvider: Fluent copies the provider's classes onto the layer where
  // drop-downs render (a portal over the page), so page layout lives on the div inside it.
  return (
    <FluentProvider theme={THEMES[app.theme]}>
      <div className={styles.page} data-theme={app.theme}>
        <header className={styles.header}>
          <h1 className={styles.title}>Journaling Assistant</h1>
          {session ? (
            <div className={styles.session} role="group" aria-label="Signed-in account">
              <span className={styles.who}>
                Signed in as <strong>{session.user.name}</strong> ({session.user.upn}) in{" "}
                <strong>{session.tenant.name}</strong>
              </span>
              {host.kind === "browser" ? (
                <Button size="small" appearance="subtle" onClick={app.signOut}>
                  Sign out
                </Button>
              ) : (
                // Inside Teams / Outlook the host owns the account: there is nothing to sign out of here.
                <span className={styles.who} data-testid="host-name">
                  in {host.context?.hostName ?? "Microsoft 365"}
                  {host.context?.channelName ? ` · ${host.context.channelName}` : ""}
                </span>
              )}
            </div>
          ) : null}
        </header>
        <main className={styles.main}>
          <Suspense fallback={<StepSkeleton label="Loading" />}>{body}</Suspense>
        </main>
      </div>
    </FluentProvider>
  );
}
