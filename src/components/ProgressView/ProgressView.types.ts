import type { AuditEntry, ProgressDocument, StatusResponse } from "../../services/backend/types";
import type { ShareLinkModel } from "../common/useShareLink";
import type { SetupDraft } from "../setup/draft";

/** Whether the setup is healthy now (GET /api/status), or why that can't be said. */
export interface HealthModel {
  readonly status: StatusResponse | null;
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
  readonly reload: () => void;
  /** Copy link / Share to a chat. */
  readonly share: ShareLinkModel;
}
