import type { AuditEntry, ProgressDocument, StatusResponse } from "../../services/backend/types";
import type { StatusSource } from "../common/useSnapshotStatus";
import type { AuditedRun } from "./earlierRuns";
import type { ShareLinkModel } from "../common/useShareLink";
import type { SetupDraft } from "../setup/draft";

/** Whether the setup is healthy now (GET /api/status), or why that can't be said. */
export interface HealthModel {
  readonly status: StatusResponse | null;
  /** The saved snapshot (with its age) or a live read; absent or null before either is in. */
  readonly source?: StatusSource | null;
  readonly loading: boolean;
  readonly error: unknown;
}

export interface ProgressModel {
  readonly progress: ProgressDocument<SetupDraft> | null;
  readonly draft: SetupDraft | null;
  readonly loading: boolean;
  readonly error: unknown;
  readonly health: HealthModel;
  /** The Exchange changes of the latest run, in the order they were made (from the audit). */
  readonly changes: readonly AuditEntry[] | null;
  readonly changesError: unknown;
  /** The runs before the latest, newest first, each of which can be undone. */
  readonly earlierRuns: readonly AuditedRun[];
  readonly reload: () => void;
  /** Copy link / Share to a chat. */
  readonly share: ShareLinkModel;
}
