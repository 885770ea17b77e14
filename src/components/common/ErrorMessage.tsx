import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type React from "react";
import { describeError } from "../errors/describeError";

export interface ErrorMessageProps {
  readonly error: unknown;
  /** Offered as a button when the failed thing can simply be tried again. */
  readonly onRetry?: () => void;
  readonly retryLabel?: string;
}

/** Any failure, as "what happened" + "what to do next" (words come from describeError). */
export function ErrorMessage({ error, onRetry, retryLabel = "Try again" }: ErrorMessageProps): React.JSX.Element {
  const text = describeError(error);
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{text.title}</MessageBarTitle>
        {text.detail} <strong>Next:</strong> {text.next}
      </MessageBarBody>
      {onRetry ? (
        <MessageBarActions>
          <Button onClick={onRetry}>{retryLabel}</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
