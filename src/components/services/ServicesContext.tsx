import { createContext, useContext } from "react";
import type { VendorProfile } from "../../core/profiles/profile";
import type { AuthService } from "../../services/auth/authService";
import type { BackendApi, MeResponse } from "../../services/backend/types";
import type { DirectoryApi } from "../../services/graphClient";
import type { HostService } from "../../services/host";

/** Everything a signed-in component needs from the outside world, passed in (never imported). */
export interface PaneServices {
  readonly backend: BackendApi;
  readonly directory: DirectoryApi;
  readonly host: HostService;
  readonly auth: AuthService;
  readonly profile: VendorProfile;
  readonly session: MeResponse;
}

const ServicesContext = createContext<PaneServices | null>(null);

export const ServicesProvider = ServicesContext.Provider;

export function useServices(): PaneServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices() needs a <ServicesProvider> above it");
  return services;
}
