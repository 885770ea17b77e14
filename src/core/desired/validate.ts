import { formatPath, type FieldError, type Result } from "../errors";
import { getProfile, journalingAddress, regionalName, type JournalingRegion } from "../profiles";
import type { JournalingTarget, ResolvedSetup } from "../plan/setup";
import { desiredStateSchema, type DesiredGroup } from "./schema";
import { sameAddress } from "./smtp";

/**
 * Parses and checks a desired state on its own (no tenant needed): shape, profile, regions,
 * hosts, groups. Checks that need the tenant (groups as NDR address, the journal-rule limit)
 * run in the planner.
 */
export function resolveDesiredState(input: unknown): Result<ResolvedSetup> {
  const parsed = desiredStateSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    };
  }
  const desired = parsed.data;
  const errors: FieldError[] = [];
  if (desired.removeLists) {
    // Remove-DistributionGroup is not in the cmdlet reference the product may emit
    // (shared/reference/cmdlets.json), so the promise cannot be kept: refuse it rather than
    // silently keep the lists. The plan of a removed setup names each list it keeps.
    errors.push({
      path: "removeLists",
      message:
        "this product cannot remove distribution lists (Remove-DistributionGroup is not among the Exchange cmdlets it runs); leave removeLists out, and remove the lists by hand after the plan if nothing else uses them",
    });
  }
  const profile = getProfile(desired.profile);
  if (!profile) {
    return {
      ok: false,
      errors: [{ path: "profile", message: `unknown profile ${JSON.stringify(desired.profile)} (known: area1)` }],
    };
  }
  const known = profile.regions.map((r) => r.id).join(", ");
  const regionOf = (id: string, path: string): JournalingRegion | undefined => {
    const region = profile.regions.find((r) => r.id === id);
    if (!region) errors.push({ path, message: `unknown region ${JSON.stringify(id)} (known: ${known})` });
    return region;
  };

  const targets: JournalingTarget[] = [];
  const base = profile.defaults;
  if ("everyone" in desired.journaling) {
    const region = regionOf(desired.journaling.everyone.region, "journaling.everyone.region");
    if (region) {
      targets.push({
        region,
        journalingAddress: journalingAddress(desired.customer, region),
        connectorName: base.connectorName,
        ruleName: base.journalRuleName,
      });
    }
  } else {
    const hostsSeen = new Map<string, number>();
    const groupAddresses = new Map<string, number>();
    const groupNames = new Map<string, number>();
    desired.journaling.regions.forEach((entry, i) => {
      const path = `journaling.regions[${i}]`;
      const region = regionOf(entry.region, `${path}.region`);
      if (region) {
        const other = hostsSeen.get(region.host.toLowerCase());
        if (other !== undefined) {
          errors.push({
            path: `${path}.region`,
            message: `uses journaling host ${region.host}, already used by journaling.regions[${other}]; each host takes one region`,
          });
        } else hostsSeen.set(region.host.toLowerCase(), i);
      }
      checkGroup(entry.group, `${path}.group`, i, groupAddresses, groupNames, errors);
      if (sameAddress(entry.group.address, desired.ndrMailbox)) {
        errors.push({
          path: "ndrMailbox",
          message: `is the address of the group in ${path}; undeliverable journal reports need a user account, never a group`,
        });
      }
      if (region) {
        targets.push({
          region,
          journalingAddress: journalingAddress(desired.customer, region),
          connectorName: regionalName(base.connectorName, region, true),
          ruleName: regionalName(base.journalRuleName, region, true),
          group: entry.group,
        });
      }
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      profile,
      customer: desired.customer,
      ndrMailbox: desired.ndrMailbox,
      connectorMode: desired.connector,
      perRegion: "regions" in desired.journaling,
      targets,
      state: desired.state,
      clearNdrAddress: desired.clearNdrAddress,
    },
  };
}

function checkGroup(
  group: DesiredGroup,
  path: string,
  index: number,
  addresses: Map<string, number>,
  names: Map<string, number>,
  errors: FieldError[],
): void {
  const byAddress = addresses.get(group.address.toLowerCase());
  if (byAddress !== undefined) {
    errors.push({
      path: `${path}.address`,
      message: `group ${group.address} is already used by journaling.regions[${byAddress}]; a group can serve one region only`,
    });
  } else addresses.set(group.address.toLowerCase(), index);
  const byName = names.get(group.name.toLowerCase());
  if (byName !== undefined) {
    errors.push({
      path: `${path}.name`,
      message: `group name ${JSON.stringify(group.name)} is already used by journaling.regions[${byName}]`,
    });
  } else names.set(group.name.toLowerCase(), index);
  const seen = new Set<string>();
  (group.members ?? []).forEach((member, j) => {
    const key = member.toLowerCase();
    if (seen.has(key)) errors.push({ path: `${path}.members[${j}]`, message: `${member} is listed twice` });
    seen.add(key);
    if (sameAddress(member, group.address)) {
      errors.push({ path: `${path}.members[${j}]`, message: "a group cannot be a member of itself" });
    }
  });
}
