import { Button, Field, Input } from "@fluentui/react-components";
import type React from "react";
import { ErrorMessage } from "./ErrorMessage";
import type { ShareLinkModel } from "./useShareLink";

export interface ShareActionsProps {
  readonly share: ShareLinkModel;
  /** Said once the link is on the clipboard. */
  readonly copiedText: string;
  /** The label of the field that shows the link when the clipboard is refused. */
  readonly fieldLabel: string;
  /** Further buttons after Copy link (e.g. Refresh). */
  readonly children?: React.ReactNode;
}

/** "Share to a chat" (where the host can) and "Copy link" for the shared progress, with the manual fallback. */
export function ShareActions({ share, copiedText, fieldLabel, children }: ShareActionsProps): React.JSX.Element {
  return (
    <>
      <div>
        {share.canShare ? (
          <>
            <Button appearance="primary" onClick={share.share}>
              Share to a chat
            </Button>{" "}
          </>
        ) : null}
        <Button onClick={share.copyLink}>{share.copied ? "Link copied" : "Copy link"}</Button>
        {children ? <> {children}</> : null}
        <span aria-live="polite"> {share.copied ? copiedText : ""}</span>
      </div>
      {share.copyError ? (
        <>
          <ErrorMessage error={share.copyError} />
          <Field label={fieldLabel}>
            <Input readOnly value={share.link} onFocus={(e) => e.currentTarget.select()} />
          </Field>
        </>
      ) : null}
    </>
  );
}
