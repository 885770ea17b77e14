import { useCallback } from "react";
import type { AuditEntry, AuditResponse, ProgressDocument } from "../../services/backend/types";
import { useLoad } from "../common/useLoad";
import { useShareLink } from "../common/useShareLink";
import { useSnapshotStatus } from "../common/useSnapshotStatus";
import { normalizeDraft, type SetupDraft } from "../setup/draft";
import { useServices } from "../services/ServicesContext";
import { earlierRuns } from "./earlierRuns";
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
  // The saved snapshot at once ("checked 4 minutes ago by the monitor"), then the live status.
  const health = useSnapshotStatus(backend);
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
    health: { status: health.status, source: health.source, loading: health.loading, error: health.error },
    changes: audit.value ? latestRunChanges(audit.value.entries) : null,
    changesError: audit.error,
    earlierRuns: audit.value ? earlierRuns(audit.value.entries) : [],
    reload,
    share,
  };
}
