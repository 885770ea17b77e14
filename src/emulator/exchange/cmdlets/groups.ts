import type { DirectoryGroup } from "../../directory/types";
import { bool, has, resultSize, str, strList, toSmtpAddress, type BoundParameters } from "../binding";
import { CmdletError, EXCEPTION } from "../errors";
import {
  findRecipients,
  listRecipients,
  transitiveUserIds,
  recipientRow,
  resolveIdentity,
  resolveReference,
  type Recipient,
} from "../recipients";
import { inOrganizationManagement, ROLE_GROUP_ROLES, roleGroupsOf } from "../permissions";
import { markChanged } from "../replication";
import { stableGuid } from "../state";
import type { GroupExtras, Row, TenantRecord } from "../types";
import {
  anrMatches,
  applyFilter,
  checkNameLength,
  domainOf,
  limit,
  noChangeWarning,
  output,
  sameName,
  type CmdletContext,
  type CmdletHandler,
} from "./context";
import { applyTrackedChange } from "./namedRecords";

const DG_TYPES = new Set(["MailUniversalDistributionGroup", "MailUniversalSecurityGroup"]);
const isDistributionGroup = (r: Recipient): boolean => r.kind === "group" && DG_TYPES.has(r.RecipientTypeDetails);

function extrasOf(record: TenantRecord, group: DirectoryGroup): GroupExtras {
  return (
    record.exchange.groupExtras[group.id] ?? {
      ManagedBy: [],
      MemberJoinRestriction: "Closed",
      MemberDepartRestriction: group.securityEnabled ? "Closed" : "Open",
      RequireSenderAuthenticationEnabled: true,
      HiddenFromAddressListsEnabled: false,
      Description: [],
      WhenChanged: group.createdDateTime,
    }
  );
}

function groupRow(record: TenantRecord, r: Recipient): Row {
  const group = r.group;
  if (!group) return recipientRow(record, r);
  const extras = extrasOf(record, group);
  return {
    ...recipientRow(record, r),
    GroupType: group.securityEnabled ? "Universal, SecurityEnabled" : "Universal",
    "ManagedBy@odata.type": "#Collection(String)",
    ManagedBy: extras.ManagedBy,
    MemberJoinRestriction: extras.MemberJoinRestriction,
    MemberDepartRestriction: extras.MemberDepartRestriction,
    RequireSenderAuthenticationEnabled: extras.RequireSenderAuthenticationEnabled,
    HiddenFromAddressListsEnabled: extras.HiddenFromAddressListsEnabled,
    "Description@odata.type": "#Collection(String)",
    Description: extras.Description,
    WhenCreated: group.createdDateTime,
    WhenChanged: extras.WhenChanged,
  };
}

function defaultDomain(record: TenantRecord): string {
  const domains = record.directory.acceptedDomains;
  return domains.find((d) => !d.toLowerCase().endsWith(".onmicrosoft.com")) ?? record.directory.initialDomain;
}

function checkAddress(ctx: CmdletContext, address: string, exceptId?: string): void {
  const domain = domainOf(address);
  if (!ctx.record.directory.acceptedDomains.some((d) => d.toLowerCase() === domain)) {
    // [emulator] wording for "the address must be in an accepted domain".
    throw new CmdletError(
      EXCEPTION.dataValidation,
      `The domain '${domain}' of the email address '${address}' isn't an accepted domain for your organization.`,
    );
  }
  const owner = [...ctx.record.directory.users, ...ctx.record.directory.groups].find(
    (o) => o.id !== exceptId && o.mail !== null && sameName(o.mail, address),
  );
  if (owner) {
    throw new CmdletError(
      EXCEPTION.proxyAddressExists,
      `The proxy address "SMTP:${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${owner.displayName}". Please choose another proxy address.`,
    );
  }
}

function checkUniqueName(ctx: CmdletContext, name: string, exceptId?: string): void {
  const all = [...ctx.record.directory.groups.map((g) => ({ id: g.id, name: g.exchangeName ?? g.displayName }))];
  for (const r of listRecipients(ctx.record, new Date(8.64e15))) {
    if (r.kind === "user") all.push({ id: r.id, name: r.Name });
  }
  if (all.some((o) => o.id !== exceptId && sameName(o.name, name))) {
    throw new CmdletError(
      EXCEPTION.adAlreadyExists,
      `The name "${name}" is already being used. Please try another name.`,
    );
  }
}

function aliasFrom(name: string): string {
  return name.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, "").replace(/^\.+|\.+$/g, "") || "group";
}

function managedBy(ctx: CmdletContext, p: BoundParameters): string[] {
  const given = strList(p, "ManagedBy");
  if (given !== undefined) return given.map((m) => resolveReference(ctx.record, m, ctx.now).Name);
  // The cmdlet defaults ManagedBy to the caller; app-only callers have no mailbox to put there.
  const me = ctx.caller.upn === null ? undefined : findRecipients(ctx.record, ctx.caller.upn, ctx.now)[0];
  return me ? [me.Name] : [];
}

function findGroup(ctx: CmdletContext, identity: string): { recipient: Recipient; group: DirectoryGroup } {
  const recipient = resolveIdentity(ctx.record, identity, ctx.now, isDistributionGroup);
  const group = ctx.record.directory.groups.find((g) => g.id === recipient.id);
  if (!group) throw new Error(`directory group ${recipient.id} vanished`);
  return { recipient, group };
}

/**
 * Changing a group (Set-DistributionGroup, Add-/Remove-DistributionGroupMember) is reserved to its
 * owners. Microsoft: "If you aren't defined in the ManagedBy property of the group, you need to use
 * this switch [BypassSecurityGroupManagerCheck] in commands that modify or delete the group. To use
 * this switch ... Distribution groups or mail-enabled security groups: You need to be a member of the
 * Organization Management role group or have the Security Group Creation and Membership role
 * assigned." (https://learn.microsoft.com/powershell/module/exchangepowershell/add-distributiongroupmember,
 * same text on remove-distributiongroupmember and set-distributiongroup). Without it the service
 * answers "You don't have sufficient permissions. This operation can only be performed by a manager
 * of the group." (Microsoft troubleshooting article "(You don't have sufficient permissions) error
 * when you try to remove or make a change to a distribution group", OfficeDocs-Support, 2024-01-24);
 * the exception type is OperationRequiresGroupManagerException (as public scripts catch it).
 * The owner may also be a mail-enabled security group (New-DistributionGroup, -ManagedBy), whose
 * members then manage the group.
 */
function isGroupManager(ctx: CmdletContext, group: DirectoryGroup): boolean {
  if (ctx.caller.upn === null) return false; // app-only callers have no mailbox to be an owner with
  const me = findRecipients(ctx.record, ctx.caller.upn, ctx.now).find((r) => r.kind === "user");
  if (!me) return false;
  return extrasOf(ctx.record, group).ManagedBy.some((owner) => {
    if (sameName(owner, me.Name)) return true;
    const ownerGroup = ctx.record.directory.groups.find((g) => sameName(g.exchangeName ?? g.displayName, owner));
    return (
      ownerGroup !== undefined &&
      ownerGroup.securityEnabled &&
      transitiveUserIds(ctx.record, ownerGroup, ctx.now).has(me.id)
    );
  });
}

/**
 * Who may pass -BypassSecurityGroupManagerCheck: Organization Management (reached by Global
 * Administrator and Exchange Administrator, reference §4, or by membership) or a role group holding
 * the Security Group Creation and Membership role (doc quoted above). Anyone else runs the cmdlet
 * without that parameter in their role, which PowerShell reports as an unknown parameter.
 */
function mayBypassManagerCheck(ctx: CmdletContext): boolean {
  if (inOrganizationManagement(ctx.record, ctx.caller)) return true;
  return roleGroupsOf(ctx.record, ctx.caller).some((g) =>
    (ROLE_GROUP_ROLES[g] ?? []).includes("Security Group Creation and Membership"),
  );
}

function requireGroupManager(ctx: CmdletContext, p: BoundParameters, group: DirectoryGroup): void {
  if (bool(p, "BypassSecurityGroupManagerCheck") === true) {
    if (mayBypassManagerCheck(ctx)) return;
    throw new CmdletError(
      EXCEPTION.parameterBinding,
      "A parameter cannot be found that matches parameter name 'BypassSecurityGroupManagerCheck'.",
    );
  }
  if (isGroupManager(ctx, group)) return;
  throw new CmdletError(
    EXCEPTION.operationRequiresGroupManager,
    "You don't have sufficient permissions. This operation can only be performed by a manager of the group.",
  );
}

const getDistributionGroup: CmdletHandler = (ctx, p) => {
  const identity = str(p, "Identity");
  let recipients =
    identity === undefined
      ? listRecipients(ctx.record, ctx.now).filter(isDistributionGroup)
      : [resolveIdentity(ctx.record, identity, ctx.now, isDistributionGroup)];
  const types = strList(p, "RecipientTypeDetails");
  if (types) recipients = recipients.filter((r) => types.some((t) => sameName(t, r.RecipientTypeDetails)));
  const anr = str(p, "Anr");
  recipients = recipients.filter((r) => anrMatches(anr, [r.Name, r.Alias, r.DisplayName, r.PrimarySmtpAddress]));
  const managed = str(p, "ManagedBy");
  let rows = recipients.map((r) => groupRow(ctx.record, r));
  if (managed !== undefined) {
    const owner = resolveReference(ctx.record, managed, ctx.now).Name;
    rows = rows.filter((row) => (row.ManagedBy as string[]).some((m) => sameName(m, owner)));
  }
  rows = applyFilter(rows, str(p, "Filter"));
  const warnings: string[] = [];
  return output(limit(rows, resultSize(p), warnings), warnings);
};

const newDistributionGroup: CmdletHandler = (ctx, p) => {
  const name = str(p, "Name") ?? "";
  checkUniqueName(ctx, name);
  const alias = str(p, "Alias") ?? aliasFrom(name);
  const given = str(p, "PrimarySmtpAddress");
  const address =
    given !== undefined ? toSmtpAddress("PrimarySmtpAddress", given) : `${alias}@${defaultDomain(ctx.record)}`;
  checkAddress(ctx, address);
  const members = (strList(p, "Members") ?? []).map((m) => resolveReference(ctx.record, m, ctx.now).id);
  const security = str(p, "Type")?.toLowerCase() === "security";
  const now = ctx.now.toISOString();
  const group: DirectoryGroup = {
    id: stableGuid(`${ctx.record.directory.tenantId}:group:${name}:${now}`),
    displayName: str(p, "DisplayName") ?? name,
    mail: address,
    mailNickname: alias,
    mailEnabled: true,
    securityEnabled: security,
    groupTypes: [],
    recipientTypeDetails: security ? "MailUniversalSecurityGroup" : "MailUniversalDistributionGroup",
    members: [...new Set(members)],
    exchangeName: name,
    createdDateTime: now,
  };
  const extras: GroupExtras = {
    ManagedBy: managedBy(ctx, p),
    MemberJoinRestriction:
      (str(p, "MemberJoinRestriction") as GroupExtras["MemberJoinRestriction"] | undefined) ?? "Closed",
    MemberDepartRestriction:
      (str(p, "MemberDepartRestriction") as GroupExtras["MemberDepartRestriction"] | undefined) ??
      (security ? "Closed" : "Open"),
    RequireSenderAuthenticationEnabled: bool(p, "RequireSenderAuthenticationEnabled") ?? true,
    HiddenFromAddressListsEnabled: false,
    Description: strList(p, "Description") ?? [],
    WhenChanged: now,
  };
  ctx.record.directory.groups.push(group);
  ctx.record.exchange.groupExtras[group.id] = extras;
  markChanged(ctx.record.exchange, group.id, undefined, ctx.now);
  const recipient = listRecipients(ctx.record, new Date(8.64e15)).find((r) => r.id === group.id);
  return output(recipient ? [groupRow(ctx.record, recipient)] : []);
};

function commitGroup(
  ctx: CmdletContext,
  group: DirectoryGroup,
  next: DirectoryGroup,
  extras: GroupExtras,
): ReturnType<CmdletHandler> {
  const before = { group, extras: extrasOf(ctx.record, group) };
  const { WhenChanged: _a, ...oldExtras } = before.extras;
  const { WhenChanged: _b, ...newExtras } = extras;
  if (JSON.stringify(group) === JSON.stringify(next) && JSON.stringify(oldExtras) === JSON.stringify(newExtras)) {
    return output([], [noChangeWarning(group.exchangeName ?? group.displayName)]);
  }
  applyTrackedChange(ctx, group.id, group, next);
  ctx.record.exchange.groupExtras[group.id] = { ...extras, WhenChanged: ctx.now.toISOString() };
  return output();
}

const setDistributionGroup: CmdletHandler = (ctx, p) => {
  const { group } = findGroup(ctx, str(p, "Identity") ?? "");
  requireGroupManager(ctx, p, group);
  const next = structuredClone(group);
  const extras = structuredClone(extrasOf(ctx.record, group));
  const name = str(p, "Name");
  if (name !== undefined) {
    checkNameLength(name);
    checkUniqueName(ctx, name, group.id);
    next.exchangeName = name;
  }
  const displayName = str(p, "DisplayName");
  if (displayName !== undefined) next.displayName = displayName;
  const alias = str(p, "Alias");
  if (alias !== undefined) next.mailNickname = alias;
  const address = str(p, "PrimarySmtpAddress");
  if (address !== undefined) {
    toSmtpAddress("PrimarySmtpAddress", address);
    if (!sameName(address, group.mail ?? "")) checkAddress(ctx, address, group.id);
    next.mail = address;
  }
  if (has(p, "ManagedBy")) extras.ManagedBy = managedBy(ctx, p);
  const join = str(p, "MemberJoinRestriction");
  if (join !== undefined) extras.MemberJoinRestriction = join as GroupExtras["MemberJoinRestriction"];
  const depart = str(p, "MemberDepartRestriction");
  if (depart !== undefined) extras.MemberDepartRestriction = depart as GroupExtras["MemberDepartRestriction"];
  const auth = bool(p, "RequireSenderAuthenticationEnabled");
  if (auth !== undefined) extras.RequireSenderAuthenticationEnabled = auth;
  const hidden = bool(p, "HiddenFromAddressListsEnabled");
  if (hidden !== undefined) extras.HiddenFromAddressListsEnabled = hidden;
  if (has(p, "Description")) extras.Description = strList(p, "Description") ?? [];
  return commitGroup(ctx, group, next, extras);
};

function requireMember(p: BoundParameters): string {
  const member = str(p, "Member");
  if (member === undefined) {
    throw new CmdletError(
      EXCEPTION.parameterBinding,
      "Cannot process command because of one or more missing mandatory parameters: Member.",
    );
  }
  return member;
}

const addDistributionGroupMember: CmdletHandler = (ctx, p) => {
  const { recipient, group } = findGroup(ctx, str(p, "Identity") ?? "");
  const memberName = requireMember(p);
  requireGroupManager(ctx, p, group);
  const member = resolveReference(ctx.record, memberName, ctx.now);
  if (group.members.includes(member.id)) {
    throw new CmdletError(
      EXCEPTION.memberAlreadyExists,
      `The recipient "${memberName}" is already a member of the group "${recipient.Name}".`,
    );
  }
  const snapshot = structuredClone(group);
  group.members.push(member.id);
  markChanged(ctx.record.exchange, group.id, snapshot, ctx.now);
  return output();
};

const removeDistributionGroupMember: CmdletHandler = (ctx, p) => {
  const { recipient, group } = findGroup(ctx, str(p, "Identity") ?? "");
  const memberName = requireMember(p);
  requireGroupManager(ctx, p, group);
  const member = resolveReference(ctx.record, memberName, ctx.now);
  if (!group.members.includes(member.id)) {
    throw new CmdletError(
      EXCEPTION.memberNotFound,
      `The recipient "${memberName}" isn't a member of the group "${recipient.Name}".`,
    );
  }
  const snapshot = structuredClone(group);
  group.members = group.members.filter((m) => m !== member.id);
  markChanged(ctx.record.exchange, group.id, snapshot, ctx.now);
  return output();
};

const getDistributionGroupMember: CmdletHandler = (ctx, p) => {
  const { recipient } = findGroup(ctx, str(p, "Identity") ?? "");
  // The group as cmdlets see it (an earlier membership while a change replicates).
  const members = recipient.group?.members ?? [];
  const all = new Map(listRecipients(ctx.record, ctx.now).map((r) => [r.id, r]));
  const rows: Row[] = [];
  for (const id of members) {
    const r = all.get(id);
    if (r) {
      rows.push(recipientRow(ctx.record, r));
      continue;
    }
    const user = ctx.record.directory.users.find((u) => u.id === id);
    if (user) {
      rows.push({
        Identity: user.displayName,
        Name: user.displayName,
        DisplayName: user.displayName,
        PrimarySmtpAddress: "",
        RecipientType: "User",
        RecipientTypeDetails: "User",
        ExternalDirectoryObjectId: user.id,
        Guid: user.id,
      });
    }
  }
  const warnings: string[] = [];
  return output(limit(rows, resultSize(p), warnings), warnings);
};

export const groupCmdlets: Record<string, CmdletHandler> = {
  "Get-DistributionGroup": getDistributionGroup,
  "New-DistributionGroup": newDistributionGroup,
  "Set-DistributionGroup": setDistributionGroup,
  "Add-DistributionGroupMember": addDistributionGroupMember,
  "Remove-DistributionGroupMember": removeDistributionGroupMember,
  "Get-DistributionGroupMember": getDistributionGroupMember,
};
