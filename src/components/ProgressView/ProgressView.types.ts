import type { ProgressDocument } from "../../services/backend/types";
import type { SetupDraft } from "../setup/draft";

export interface ProgressModel {
  readonly progress: ProgressDocument<SetupDraft> | null;
  readonly draft: SetupDraft | null;
  readonly loading: boolean;
  readonly error: unknown;
  readonly copied: boolean;
  readonly copyError: unknown;
  readonly link: string;
  readonly reload: () => void;
  readonly copyLink: () => void;
  /** The host can share the link into a chat (Teams); elsewhere only Copy link is offered. */
  readonly canShare: boolean;
  readonly share: () => void;
  readonly shareError: unknown;
}
