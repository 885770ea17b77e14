import type { MonitorChannel, MonitorRecipient, MonitorSettings } from "../../services/backend/types";
import type { DirectoryPerson } from "../../services/graphClient";
import type { ConsentPhase } from "./useAdminConsent";

/** What the admin is editing; kept as typed until it is saved, whatever the backend answers. */
export interface WatchForm {
  readonly watching: boolean;
  /** As typed (validated on save). */
  readonly interval: string;
  readonly recipients: readonly MonitorRecipient[];
  readonly channel: MonitorChannel | null;
  /** The text in the people picker's box. */
  readonly query: string;
}

/** Problems to show next to the fields (the pane's own checks, or the backend's 400 fieldErrors). */
export interface WatchFieldErrors {
  readonly interval?: string;
  readonly recipients?: string;
  readonly channel?: string;
}

export interface KeepWatchingModel {
  readonly settings: MonitorSettings | null;
  readonly loading: boolean;
  readonly loadError: unknown;
  readonly canChange: boolean;
  readonly form: WatchForm;
  readonly fieldErrors: WatchFieldErrors;
  readonly saving: boolean;
  /** The last save's failure (also 400 / 409: its message says what the backend refused). */
  readonly saveError: unknown;
  /** "Saved." after a save went through. */
  readonly saved: string | null;
  readonly consent: ConsentPhase;
  /** The channel tab the pane runs in (its members can be notified), if any. */
  readonly hereChannel: MonitorChannel | null;
  readonly setWatching: (on: boolean) => void;
  readonly setInterval: (text: string) => void;
  readonly setQuery: (text: string) => void;
  readonly addRecipient: (person: DirectoryPerson) => void;
  readonly removeRecipient: (upn: string) => void;
  readonly setChannel: (channel: MonitorChannel | null) => void;
  readonly save: () => void;
  readonly grantConsent: () => void;
  /** Reads the monitor's identity again (after the Exchange role was given, or consent elsewhere). */
  readonly checkAgain: () => void;
  /** Check now: the monitor checks at once instead of at its next time. */
  readonly checkNow: () => void;
  readonly checkNote: string | null;
  readonly checkError: unknown;
}
