import { useCallback, useState } from "react";
import { PaneError } from "../../services/errors";
import { useServices } from "../services/ServicesContext";

export interface ShareLinkModel {
  /** The link to the shared progress (`#/progress`). */
  readonly link: string;
  readonly copied: boolean;
  readonly copyError: unknown;
  readonly copyLink: () => void;
  /** The host can share the link into a chat (Teams); elsewhere only Copy link is offered. */
  readonly canShare: boolean;
  readonly share: () => void;
  readonly shareError: unknown;
}

/** Copy link / Share to a chat for the shared progress: the progress view and "What next" offer the same. */
export function useShareLink(): ShareLinkModel {
  const { host } = useServices();
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<unknown>(null);
  const link = host.progressLink();
  const copyLink = useCallback(() => {
    host
      .copyText(link)
      .then(() => {
        setCopied(true);
        setCopyError(null);
      })
      .catch(() => {
        // The view then shows the link in a field to copy by hand (what the error message tells the user to do).
        setCopied(false);
        setCopyError(new PaneError("clipboard_unavailable", "clipboard write refused"));
      });
  }, [host, link]);

  const shareLink = host.shareLink;
  const [shareError, setShareError] = useState<unknown>(null);
  const share = useCallback(() => {
    if (!shareLink) return;
    setShareError(null);
    shareLink(link, "Journaling setup progress").catch((err: unknown) => setShareError(err));
  }, [shareLink, link]);

  return { link, copied, copyError, copyLink, canShare: shareLink !== undefined, share, shareError };
}
