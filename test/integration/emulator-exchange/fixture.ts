import type {
  DirectoryGroup,
  DirectoryUser,
  RecipientTypeDetails,
  TenantDirectory,
} from "../../../src/emulator/directory/types";
import { ROLE_TEMPLATE_IDS } from "../../../src/emulator/directory/types";
import {
  CmdletError,
  createExchangeState,
  runCmdlet,
  updateExchangeSettings,
  type Caller,
  type CmdletOutput,
  type TenantRecord,
} from "../../../src/emulator/exchange";

export const TENANT_ID = "11111111-1111-4111-8111-111111111111";
export const NOW = new Date("2025-06-02T12:00:00.000Z");

function user(
  local: string,
  displayName: string,
  kind: RecipientTypeDetails,
  extra: Partial<DirectoryUser> = {},
): DirectoryUser {
  return {
    id: `u-${local}`,
    userPrincipalName: `${local}@contoso.com`,
    displayName,
    mail: `${local}@contoso.com`,
    usageLocation: "US",
    country: "United States",
    accountEnabled: true,
    userType: "Member",
    recipientTypeDetails: kind,
    roles: [],
    ...extra,
  };
}

function group(nick: string, displayName: string, kind: RecipientTypeDetails, members: string[]): DirectoryGroup {
  return {
    id: `g-${nick}`,
    displayName,
    mail: `${nick}@contoso.com`,
    mailNickname: nick,
    mailEnabled: true,
    securityEnabled: kind === "MailUniversalSecurityGroup",
    groupTypes: kind === "GroupMailbox" ? ["Unified"] : [],
    recipientTypeDetails: kind,
    members,
    createdDateTime: "2024-01-01T00:00:00.000Z",
  };
}

export function directory(): TenantDirectory {
  return {
    tenantId: TENANT_ID,
    initialDomain: "contoso.onmicrosoft.com",
    displayName: "Contoso",
    acceptedDomains: ["contoso.onmicrosoft.com", "contoso.com"],
    countryLetterCode: "US",
    users: [
      user("admin", "Megan Admin", "UserMailbox", { roles: [ROLE_TEMPLATE_IDS.globalAdministrator] }),
      user("alice", "Alice Able", "UserMailbox"),
      user("bob", "Bob Berg", "UserMailbox", { usageLocation: "DE", country: "Germany" }),
      user("info", "Info", "SharedMailbox"),
      user("journal-ndr", "Journal NDR", "UserMailbox"),
      user("archive", "Archive Vault", "MailUser"),
      user("partner", "Partner Contact", "MailContact", { mail: "contact@partner.example" }),
      user("nomail", "No Mail", "UserMailbox", { mail: null }),
    ],
    groups: [
      group("sales", "Sales", "MailUniversalDistributionGroup", ["u-alice"]),
      group("secteam", "Security Team", "MailUniversalSecurityGroup", ["u-bob"]),
      group("projectx", "Project X", "GroupMailbox", ["u-alice", "u-bob"]),
    ],
    subscribedSkus: [],
    servicePrincipals: [],
    delegatedGrants: [],
    applicationGrants: [],
  };
}

export function tenant(variant: "default" | "gateway" = "default"): TenantRecord {
  const dir = directory();
  const record: TenantRecord = { directory: dir, exchange: createExchangeState(dir, variant, { latency: "none" }) };
  return record;
}

export function settings(record: TenantRecord, patch: unknown): void {
  const result = updateExchangeSettings(record.exchange, patch);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}

export const ADMIN: Caller = {
  roles: [ROLE_TEMPLATE_IDS.exchangeAdministrator],
  upn: "admin@contoso.com",
  appOnly: false,
};
export const COMPLIANCE: Caller = {
  roles: [ROLE_TEMPLATE_IDS.complianceAdministrator],
  upn: "alice@contoso.com",
  appOnly: false,
};
export const READER: Caller = { roles: [ROLE_TEMPLATE_IDS.globalReader], upn: "bob@contoso.com", appOnly: false };
export const NOBODY: Caller = { roles: [], upn: "bob@contoso.com", appOnly: false };

export function run(
  record: TenantRecord,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  options: { caller?: Caller; now?: Date } = {},
): CmdletOutput {
  return runCmdlet(record, options.caller ?? ADMIN, { cmdlet, parameters }, options.now ?? NOW);
}

/** Runs a cmdlet that must fail and returns the CmdletError. */
export function fail(
  record: TenantRecord,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  options: { caller?: Caller; now?: Date } = {},
): CmdletError {
  try {
    run(record, cmdlet, parameters, options);
  } catch (err) {
    if (err instanceof CmdletError) return err;
    throw err;
  }
  throw new Error(`${cmdlet} succeeded but was expected to fail`);
}

export function withNdr(record: TenantRecord, address = "journal-ndr@contoso.com"): TenantRecord {
  run(record, "Set-TransportConfig", { JournalingReportNdrTo: address });
  return record;
}
