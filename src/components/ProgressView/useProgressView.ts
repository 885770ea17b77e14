import { useCallback, useState } from "react";
import type { ProgressDocument } from "../../services/backend/types";
import { PaneError } from "../../services/errors";
import { useLoad } from "../common/useLoad";
import { normalizeDraft, type SetupDraft } from "../setup/draft";
import { useServices } from "../services/ServicesContext";
import type { ProgressModel } from "./ProgressView.types";

export function useProgressView(): ProgressModel {
  const { backend, host } = useServices();
  const read = useCallback(() => backend.getProgress<SetupDraft>(), [backend]);
  const { value: progress, loading, error, reload } = useLoad<ProgressDocument<SetupDraft>>(read);
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

  return {
    progress,
    canShare: shareLink !== undefined,
    share,
    shareError,
    draft: progress?.draft ? normalizeDraft(progress.draft) : null,
    loading,
    error,
    copied,
    copyError,
    link,
    reload,
    copyLink,
  };
}
