import { pauseFromAudit } from "../../core";
import type { VerdictRegion, VerdictRule } from "../../core/status/messageVerdict";
import type { Principal } from "../auth/principal";
import type { ExchangeRunner } from "../exchange/runner";
import type { StatusService } from "../status/status";
import type { TenantStore } from "../store/tenantStore";
import { currentDesired } from "../tenant/desiredSource";
import { desiredGroupAddresses } from "../tenant/observe";

/**
 * What the journaling answer and the mail-flow test need to know of the tenant: the applied setup's
 * regions (address, host, rule, list members), the journal rules as Exchange has them now, the
 * accepted domains (internal vs external) and whether journaling is paused. One read of the tenant
 * (shared with the status report's reader) plus Get-AcceptedDomain.
 */
export interface TenantFacts {
  readonly regions: VerdictRegion[];
  readonly rules: VerdictRule[];
  readonly acceptedDomains: string[];
  readonly pausedSince: string | null;
}

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export async function readTenantFacts(
  principal: Principal,
  tenant: TenantStore,
  status: StatusService,
  runner: ExchangeRunner,
): Promise<TenantFacts> {
  const current = await currentDesired(tenant);
  const [read, domains] = await Promise.all([
    status.readTenant(principal, current ? desiredGroupAddresses(current.desired) : []),
    runner.run("Get-AcceptedDomain", {}),
  ]);
  const observed = read.observed;
  const members = observed["Get-DistributionGroupMember"];
  const memberList = (address: string): string[] => {
    const key = Object.keys(members).find((k) => k.toLowerCase() === address.toLowerCase());
    return (key ? (members[key] ?? []) : []).map((m) => m.PrimarySmtpAddress);
  };
  const regions: VerdictRegion[] = current
    ? current.setup.targets.map((t) => ({
        key: t.region.id,
        label: t.region.label,
        address: t.journalingAddress,
        host: t.region.host,
        ruleName: t.ruleName,
        ...(t.group ? { members: memberList(t.group.address) } : {}),
      }))
    : [];
  const rules: VerdictRule[] = observed["Get-JournalRule"].map((r) => ({
    name: r.Name,
    journalEmailAddress: r.JournalEmailAddress,
    enabled: r.Enabled,
    scope: r.Scope,
    ...(typeof r.WhenChanged === "string" ? { whenChanged: r.WhenChanged } : {}),
  }));
  let pausedSince: string | null = null;
  if (current?.setup.state === "paused") {
    pausedSince =
      pauseFromAudit(
        await tenant.audit(),
        current.setup.targets.map((t) => t.ruleName),
      )?.since ?? null;
  }
  return {
    regions,
    rules,
    acceptedDomains: domains.map((d) => text(d.DomainName) || text(d.Name)).filter((d) => d !== ""),
    pausedSince,
  };
}
