import type { VendorProfile } from "../../core/profiles/profile";
import type { AuthService, SignedInAccount } from "../../services/auth/authService";
import type { BackendApi } from "../../services/backend/types";
import type { PaneConfig } from "../../services/config";
import type { DirectoryApi } from "../../services/graphClient";
import type { HostService } from "../../services/host";
import type { PaneServices } from "../services/ServicesContext";

export interface StartedAuth {
  readonly auth: AuthService;
  readonly config: PaneConfig;
  /** The signed-in account (silently in a host, after a redirect in a browser), or null. */
  readonly account: SignedInAccount | null;
}

export interface AppProps {
  /** What the first render knows without asking anyone: a browser tab with the ?theme= theme. */
  readonly host: HostService;
  readonly profile: VendorProfile;
  /** Finds out where the pane runs (teams-js / office.js chunks only when framed / in the task pane). */
  readonly detectHost: () => Promise<HostService>;
  /** Loads the configuration and the host's sign-in (a separate chunk) and signs in if it can. */
  readonly startAuth: (host: HostService) => Promise<StartedAuth>;
  /** Builds the signed-in clients (backend, Graph) for the account. */
  readonly connect: (
    auth: AuthService,
    config: PaneConfig,
    host: HostService,
  ) => { backend: BackendApi; directory: DirectoryApi };
}

export type AppPhase =
  | { readonly kind: "starting" }
  | { readonly kind: "configure-tab"; readonly host: HostService }
  | { readonly kind: "signed-out"; readonly auth: AuthService }
  | { readonly kind: "loading-session"; readonly account: SignedInAccount }
  | { readonly kind: "ready"; readonly services: PaneServices }
  | { readonly kind: "error"; readonly error: unknown; readonly auth?: AuthService };

/** `status`: the tenant's status, opened by an alert's deep link (subPageId "status") or `#/status`. */
export type AppRoute = "setup" | "progress" | "status";

/** The channel tab's entityId (saved by its configuration page); its content is progress + status. */
export const CHANNEL_TAB_ENTITY_ID = "journaling-progress";
