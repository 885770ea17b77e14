import type { ResourcePermissions } from "../../plan/types";
import type { ResourceModule } from "../types";
import { diffOutboundConnectors, show } from "./diff";

/**
 * New-/Set-/Remove-OutboundConnector are in the "Remote and Accepted Domains" role (Organization
 * Management; Exchange Online permissions: "Connectors: Organization Management"); reads in
 * "View-Only Configuration". Sources: learn.microsoft.com/exchange/permissions-exo/feature-permissions;
 * Microsoft365DSC EXOOutboundConnector settings.json.
 */
export const permissions: ResourcePermissions = {
  read: { exchangeRoles: ["View-Only Configuration"], entraRoles: ["Global Reader", "Exchange Administrator"] },
  change: {
    exchangeRoles: ["Remote and Accepted Domains"],
    entraRoles: ["Exchange Administrator", "Global Administrator"],
  },
};

export const outboundConnector: ResourceModule = {
  kind: "outboundConnector",
  reads: [{ cmdlet: "Get-OutboundConnector", shape: "all", parameters: {} }],
  permissions,
  ordering: {
    needs: [],
    // Removal is a teardown: it runs after the journal rules that send through the connector are gone.
    steps: [["New-OutboundConnector", "Set-OutboundConnector"], ["Remove-OutboundConnector"]],
  },
  diff: diffOutboundConnectors,
  statusText(status) {
    switch (status.state) {
      case "ok":
        return `${status.label}: as the setup wants.`;
      case "missing":
        return `${status.label}: missing.`;
      case "unwanted":
        return `${status.label}: to be removed.`;
      default:
        return `${status.label}: ${status.drift.map((d) => `${d.property} is ${show(d.actual)}, should be ${show(d.desired)}`).join("; ")}.`;
    }
  },
};
