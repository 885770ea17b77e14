import type { ResourcePermissions } from "../../plan/types";
import type { ResourceModule } from "../types";
import { diffDistributionGroups } from "./diff";

/**
 * New-DistributionGroup and Add-/Remove-DistributionGroupMember are in the "Distribution Groups"
 * role (Recipient Management, Organization Management). The planner passes
 * -BypassSecurityGroupManagerCheck on member changes, which Microsoft reserves to Organization
 * Management or the "Security Group Creation and Membership" role
 * (learn.microsoft.com/powershell/module/exchangepowershell/add-distributiongroupmember): both
 * roles are needed here. Reads: "View-Only Recipients".
 */
export const permissions: ResourcePermissions = {
  read: { exchangeRoles: ["View-Only Recipients"], entraRoles: ["Global Reader", "Exchange Administrator"] },
  change: {
    exchangeRoles: ["Distribution Groups", "Security Group Creation and Membership"],
    entraRoles: ["Exchange Administrator", "Global Administrator"],
  },
};

export const distributionGroup: ResourceModule = {
  kind: "distributionGroup",
  reads: [
    { cmdlet: "Get-DistributionGroup", shape: "all", parameters: { ResultSize: "Unlimited" } },
    // Members only of the lists the desired state names: the planner compares exactly those.
    {
      cmdlet: "Get-DistributionGroupMember",
      shape: "perGroup",
      parameters: (address) => ({ Identity: address, ResultSize: "Unlimited" }),
    },
  ],
  permissions,
  ordering: {
    needs: [],
    steps: [["New-DistributionGroup"], ["Add-DistributionGroupMember", "Remove-DistributionGroupMember"]],
  },
  diff: diffDistributionGroups,
  statusText(status) {
    switch (status.state) {
      case "ok":
        return `${status.label}: as the setup wants.`;
      case "missing":
        return `${status.label}: missing.`;
      default: {
        const d = status.drift[0];
        const list = (v: unknown): string => (Array.isArray(v) && v.length ? v.join(", ") : "none");
        return d ? `${status.label}: members are ${list(d.actual)}, should be ${list(d.desired)}.` : `${status.label}.`;
      }
    }
  },
};
