import type { DirectoryGroup, DirectoryUser, RecipientTypeDetails } from "../directory/types";
import { ambiguousIdentity, objectNotFound, recipientNotFound } from "./errors";
import { visibleList } from "./replication";
import type { ExchangeState, Row, TenantRecord } from "./types";

/**
 * Exchange's view of the directory: every mail-enabled user, contact and group is a recipient
 * with Exchange's property names. Groups honour replication delay (they can be created here).
 */
export interface Recipient {
  kind: "user" | "group";
  id: string;
  Name: string;
  Alias: string;
  DisplayName: string;
  PrimarySmtpAddress: string;
  RecipientType: string;
  RecipientTypeDetails: RecipientTypeDetails;
  userPrincipalName: string | null;
  group?: DirectoryGroup;
  user?: DirectoryUser;
}

const RECIPIENT_TYPE: Record<RecipientTypeDetails, string> = {
  UserMailbox: "UserMailbox",
  SharedMailbox: "UserMailbox",
  MailUser: "MailUser",
  MailContact: "MailContact",
  MailUniversalDistributionGroup: "MailUniversalDistributionGroup",
  MailUniversalSecurityGroup: "MailUniversalSecurityGroup",
  GroupMailbox: "MailUniversalDistributionGroup",
};

export const MAILBOX_TYPES: ReadonlySet<RecipientTypeDetails> = new Set([
  "UserMailbox",
  "SharedMailbox",
  "GroupMailbox",
]);

function localPart(address: string): string {
  return address.split("@")[0] ?? address;
}

export function visibleGroups(record: TenantRecord, now: Date): DirectoryGroup[] {
  return visibleList(record.exchange, record.directory.groups, (g) => g.id, now);
}

export function listRecipients(record: TenantRecord, now: Date): Recipient[] {
  const out: Recipient[] = [];
  for (const user of record.directory.users) {
    if (!user.mail) continue; // no Exchange recipient without an address
    out.push({
      kind: "user",
      id: user.id,
      Name: localPart(user.mail),
      Alias: localPart(user.mail),
      DisplayName: user.displayName,
      PrimarySmtpAddress: user.mail,
      RecipientType: RECIPIENT_TYPE[user.recipientTypeDetails],
      RecipientTypeDetails: user.recipientTypeDetails,
      userPrincipalName: user.userPrincipalName,
      user,
    });
  }
  for (const group of visibleGroups(record, now)) {
    if (!group.mailEnabled || !group.mail) continue;
    out.push({
      kind: "group",
      id: group.id,
      Name: group.exchangeName ?? group.displayName,
      Alias: group.mailNickname,
      DisplayName: group.displayName,
      PrimarySmtpAddress: group.mail,
      RecipientType: RECIPIENT_TYPE[group.recipientTypeDetails],
      RecipientTypeDetails: group.recipientTypeDetails,
      userPrincipalName: null,
      group,
    });
  }
  return out;
}

export function distinguishedName(state: ExchangeState, tenantDomain: string, name: string): string {
  const dcs = state.domainController
    .split(".")
    .slice(1)
    .map((p) => `DC=${p}`)
    .join(",");
  return `CN=${name},OU=${tenantDomain},OU=Microsoft Exchange Hosted Organizations,${dcs}`;
}

function matches(r: Recipient, identity: string, dn: string): boolean {
  const id = identity.toLowerCase();
  return [r.id, r.Name, r.Alias, r.DisplayName, r.PrimarySmtpAddress, r.userPrincipalName ?? "", dn].some(
    (v) => v.toLowerCase() === id,
  );
}

export function findRecipients(record: TenantRecord, identity: string, now: Date): Recipient[] {
  const domain = record.directory.initialDomain;
  return listRecipients(record, now).filter((r) =>
    matches(r, identity, distinguishedName(record.exchange, domain, r.Name)),
  );
}

/** Resolves an -Identity: not found / ambiguous with Exchange's texts. */
export function resolveIdentity(
  record: TenantRecord,
  identity: string,
  now: Date,
  filter: (r: Recipient) => boolean = () => true,
): Recipient {
  const found = findRecipients(record, identity, now).filter(filter);
  if (found.length > 1) throw ambiguousIdentity(identity);
  const only = found[0];
  if (!only) throw objectNotFound(identity, record.exchange.domainController);
  return only;
}

/** Resolves a recipient named by another parameter (-Member, -Recipient, ...). */
export function resolveReference(record: TenantRecord, identity: string, now: Date): Recipient {
  const found = findRecipients(record, identity, now);
  if (found.length > 1) throw ambiguousIdentity(identity);
  const only = found[0];
  if (!only) throw recipientNotFound(identity);
  return only;
}

/** Every user id reachable from a group through nested groups. */
export function transitiveUserIds(record: TenantRecord, group: DirectoryGroup, now: Date): Set<string> {
  const groups = new Map(visibleGroups(record, now).map((g) => [g.id, g]));
  const users = new Set<string>();
  const seen = new Set<string>();
  const walk = (g: DirectoryGroup): void => {
    if (seen.has(g.id)) return;
    seen.add(g.id);
    for (const member of g.members) {
      const nested = groups.get(member);
      if (nested) walk(nested);
      else users.add(member);
    }
  };
  walk(group);
  return users;
}

export function recipientRow(record: TenantRecord, r: Recipient): Row {
  const dn = distinguishedName(record.exchange, record.directory.initialDomain, r.Name);
  return {
    Identity: r.Name,
    Id: r.Name,
    Name: r.Name,
    Alias: r.Alias,
    DisplayName: r.DisplayName,
    PrimarySmtpAddress: r.PrimarySmtpAddress,
    "EmailAddresses@odata.type": "#Collection(String)",
    EmailAddresses: [`SMTP:${r.PrimarySmtpAddress}`],
    RecipientType: r.RecipientType,
    RecipientTypeDetails: r.RecipientTypeDetails,
    ExternalDirectoryObjectId: r.id,
    Guid: r.id,
    DistinguishedName: dn,
    UserPrincipalName: r.userPrincipalName,
    UsageLocation: r.user?.usageLocation ?? null,
    CountryOrRegion: r.user?.country ?? null,
    WhenCreated: r.group?.createdDateTime ?? null,
  };
}
