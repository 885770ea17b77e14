import { Button } from "@fluentui/react-components";
import React from "react";
import { useAppStyles } from "./useAppStyles.styles";

export interface HostSignInProps {
  /** Teams, Outlook, …: whose sign-in window opens. */
  readonly hostName: string | undefined;
  readonly onSignIn: () => void;
}

/**
 * Inside Teams / Outlook when the silent sign-in needs the user (consent, a second factor). The
 * host's sign-in window opens only from this button: Microsoft asks add-ins to start interactive
 * sign-in from a user gesture, and a window nobody asked for is confusing (and often blocked).
 */
export function HostSignIn({ hostName, onSignIn }: HostSignInProps): React.JSX.Element {
  const styles = useAppStyles();
  return (
    <section className={styles.card} aria-labelledby="host-signin-heading">
      <h2 id="host-signin-heading">Journaling Assistant needs you to sign in once to read your tenant</h2>
      <p>
        {hostName ?? "Microsoft 365"} opens a window where you confirm your work account and, the first time, the
        permissions the app uses. After that the pane signs you in by itself.
      </p>
      <Button appearance="primary" onClick={onSignIn}>
        Sign in
      </Button>
    </section>
  );
}
