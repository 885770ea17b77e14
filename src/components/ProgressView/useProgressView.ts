import { useCallback } from "react";
import type { AuditEntry, AuditResponse, ProgressDocument, StatusResponse } from "../../services/backend/types";
import { useLoad } from "../common/useLoad";
import { useShareLink } from "../common/useShareLink";
import { normalizeDraft, type SetupDraft } from "../setup/draft";
import { useServices } from "../services/ServicesContext";
import type { ProgressModel } from "./ProgressView.types";

/** The latest run's changes, oldest first: each call's final outcome (retried attempts left out). */
export function latestRunChanges(entries: readonly AuditEntry[]): AuditEntry[] {
  // The audit lists the newest first.
  const runId = entries.find((e) => e.runId !== null)?.runId;
  if (runId === undefined) return [];
  return entries.filter((e) => e.runId === runId && e.outcome !== "retried").reverse();
}

export function useProgressView(): ProgressModel {
  const { backend } = useServices();
  const readProgress = useCallback(() => backend.getProgress<SetupDraft>(), [backend]);
  const progress = useLoad<ProgressDocument<SetupDraft>>(readProgress);
  const readStatus = useCallback(() => backend.status(), [backend]);
  const health = useLoad<StatusResponse>(readStatus);
  const readAudit = useCallback(() => backend.audit(), [backend]);
  const audit = useLoad<AuditResponse>(readAudit);
  const share = useShareLink();

  const reloadProgress = progress.reload;
  const reloadHealth = health.reload;
  const reloadAudit = audit.reload;
  const reload = useCallback(() => {
    reloadProgress();
    reloadHealth();
    reloadAudit();
  }, [reloadProgress, reloadHealth, reloadAudit]);

  return {
    progress: progress.value,
    draft: progress.value?.draft ? normalizeDraft(progress.value.draft) : null,
    loading: progress.loading,
    error: progress.error,
    health: { status: health.value, loading: health.loading, error: health.error },
    changes: audit.value ? latestRunChanges(audit.value.entries) : null,
    changesError: audit.error,
    reload,
    share,
  };
}
