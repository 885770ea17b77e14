import type { ConnectorValidation, StatusResponse } from "../../../services/backend/types";
import type { StatusSource } from "../../common/useSnapshotStatus";

export interface StatusStepProps {
  readonly onChangeSetup: () => void;
  /** "What next" after the checks (default); off where the page shows the shared progress's own actions. */
  readonly whatNext?: boolean;
}

export interface StatusModel {
  readonly status: StatusResponse | null;
  /** The saved snapshot (shown at once, with its age) or a live read; null before either is in. */
  readonly source: StatusSource | null;
  /** A live read is running. */
  readonly loading: boolean;
  readonly error: unknown;
  /** False when nothing was applied (or drafted) yet: there is nothing to check. */
  readonly hasSetup: boolean;
  readonly allOk: boolean;
  readonly validation: ConnectorValidation | null;
  readonly validating: boolean;
  readonly validationError: unknown;
  readonly checkAgain: () => void;
  readonly validate: () => void;
}
