import type { RunningEmulator } from "../emulator/server";
import { DevHostOptionError, type DevHostEmulator } from "../devhost/hostServer";

/** The emulator part of the dev host's options, taken from a running emulator (default tenant: contoso). */
export function devHostEmulatorOptions(
  emulator: Pick<RunningEmulator, "origin" | "caPem" | "config">,
  tenantName = "contoso.onmicrosoft.com",
): DevHostEmulator {
  const tenant = emulator.config.tenants.find((t) => t.name === tenantName || t.id === tenantName);
  if (tenant === undefined) throw new DevHostOptionError(`The emulator has no tenant '${tenantName}'.`);
  return {
    origin: emulator.origin,
    tenantId: tenant.id,
    caPem: emulator.caPem,
    clientId: emulator.config.apps.pane.clientId,
    ssoScope: emulator.config.apps.api.scope,
  };
}
