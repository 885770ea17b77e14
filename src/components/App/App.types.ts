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
  /** The signed-in account after finishing a redirect, or null. */
  readonly account: SignedInAccount | null;
}

export interface AppProps {
  readonly host: HostService;
  readonly profile: VendorProfile;
  /** Loads the configuration and the sign-in library (a separate chunk) and finishes a pending redirect. */
  readonly startAuth: () => Promise<StartedAuth>;
  /** Builds the signed-in clients (backend, Graph) for the account. */
  readonly connect: (auth: AuthService, config: PaneConfig) => { backend: BackendApi; directory: DirectoryApi };
}

export type AppPhase =
  | { readonly kind: "starting" }
  | { readonly kind: "signed-out"; readonly auth: AuthService }
  | { readonly kind: "loading-session"; readonly account: SignedInAccount }
  | { readonly kind: "ready"; readonly services: PaneServices }
  | { readonly kind: "error"; readonly error: unknown; readonly auth?: AuthService };

export type AppRoute = "setup" | "progress";
