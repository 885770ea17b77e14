import { useCallback, useEffect, useState } from "react";
import type { ProgressDocument } from "../../services/backend/types";
import { PaneError } from "../../services/errors";
import { normalizeDraft, type SetupDraft } from "../setup/draft";
import { useServices } from "../services/ServicesContext";
import type { ProgressModel } from "./ProgressView.types";

export function useProgressView(): ProgressModel {
  const { backend, host } = useServices();
  const [progress, setProgress] = useState<ProgressDocument<SetupDraft> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    backend
      .getProgress<SetupDraft>()
      .then((p) => current && setProgress(p))
      .catch((err: unknown) => current && setError(err))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [backend, generation]);

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
    reload: () => setGeneration((g) => g + 1),
    copyLink,
  };
}
