import type { ResolvedSetup } from "../../core";
import { MONITOR_CALLS } from "../../core/monitor/cmdlets";
import { regionCoverage, type CoverageReport } from "../../core/monitor/coverage";
import { sameAddress } from "../../core/desired/smtp";
import type { ExchangeRunner } from "../exchange/runner";
import type { ObservedRead } from "../tenant/observe";

/**
 * The regional lists against the directory, for a setup with lists: the members come from the
 * status's own tenant read (Get-DistributionGroupMember), the people from one Get-Mailbox
 * (user mailboxes with their UsageLocation, the same value as Graph's `usageLocation`), app-only
 * like the rest of the check. Undefined for an "everyone" setup.
 */
export async function readCoverage(
  runner: ExchangeRunner,
  setup: ResolvedSetup,
  read: ObservedRead,
): Promise<CoverageReport | undefined> {
  const targets = setup.targets.filter((t) => t.group !== undefined);
  if (targets.length === 0) return undefined;
  const { cmdlet, parameters } = MONITOR_CALLS.mailboxes;
  const rows = await runner.run(cmdlet, { ...parameters, RecipientTypeDetails: [...parameters.RecipientTypeDetails] });
  const members = read.observed["Get-DistributionGroupMember"];
  const membersOf = (address: string): string[] => {
    const key = Object.keys(members).find((k) => sameAddress(k, address));
    return key === undefined ? [] : (members[key] ?? []).map((m) => m.PrimarySmtpAddress);
  };
  return regionCoverage(
    targets.map((t) => ({
      id: t.region.id,
      countries: t.region.countries,
      groupAddress: t.group?.address ?? "",
      members: membersOf(t.group?.address ?? ""),
    })),
    rows.flatMap((r) =>
      typeof r.PrimarySmtpAddress === "string"
        ? [
            {
              address: r.PrimarySmtpAddress,
              usageLocation: typeof r.UsageLocation === "string" ? r.UsageLocation : null,
            },
          ]
        : [],
    ),
  );
}
