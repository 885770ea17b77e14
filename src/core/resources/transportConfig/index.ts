import type { ResourcePermissions } from "../../plan/types";
import type { ResourceModule } from "../types";
import { diffTransportConfig } from "./diff";

/**
 * Set-TransportConfig is in the "Organization Transport Settings" role; the "Journaling" role holds
 * it too, for the journaling parameters (JournalingReportNdrTo). Either one is enough here (any of
 * the listed roles). "Transport Hygiene" is the anti-spam / anti-malware role and doesn't include it.
 * Sources: learn.microsoft.com/powershell/exchange/find-exchange-cmdlet-permissions
 * (Get-ManagementRole -Cmdlet Set-TransportConfig); Exchange "Journaling role" and "Organization
 * Transport Settings role" topics (role groups: Organization Management; Journaling also Records
 * Management and Compliance Management); Microsoft365DSC EXOTransportConfig settings.json.
 */
export const permissions: ResourcePermissions = {
  read: { exchangeRoles: ["View-Only Configuration"], entraRoles: ["Global Reader", "Exchange Administrator"] },
  change: {
    exchangeRoles: ["Organization Transport Settings", "Journaling"],
    entraRoles: ["Exchange Administrator", "Global Administrator"],
  },
};

export const transportConfig: ResourceModule = {
  kind: "transportConfig",
  reads: [{ cmdlet: "Get-TransportConfig", shape: "one", parameters: {} }],
  permissions,
  ordering: { needs: [], steps: [["Set-TransportConfig"]] },
  diff: diffTransportConfig,
  statusText(status) {
    const d = status.drift[0];
    switch (status.state) {
      case "ok":
        return `${status.label}: as the setup wants.`;
      case "missing":
        return `${status.label}: not set; Exchange refuses journal rules until it is.`;
      case "unwanted":
        return `${status.label}: ${String(d?.actual ?? "")}, to be cleared.`;
      default:
        return `${status.label}: is ${String(d?.actual ?? "not set")}, should be ${String(d?.desired ?? "not set")}.`;
    }
  },
};
