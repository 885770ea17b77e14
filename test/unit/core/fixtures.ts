import { observedStateSchema, type ObservedState } from "../../../src/core";

export const US_HOST = "journaling.mxrecord.io";
export const EU1_HOST = "journaling.mailstream-eu1.mxrecord.io";
export const BOM_HOST = "journaling.mailstream-bom.mxrecord.mx";

export function observed(input: Record<string, unknown> = {}): ObservedState {
  return observedStateSchema.parse(input);
}

export const usEveryone = {
  version: 1,
  profile: "area1",
  customer: "contoso",
  ndrMailbox: "journal-ndr@contoso.com",
  connector: "auto",
  journaling: { everyone: { region: "us" } },
} as const;

export const euIndia = {
  version: 1,
  profile: "area1",
  customer: "contoso",
  ndrMailbox: "journal-ndr@contoso.com",
  connector: "always",
  journaling: {
    regions: [
      {
        region: "eu1",
        group: { name: "Journaling EU", address: "journaling-eu@contoso.com", members: ["anna@contoso.com"] },
      },
      {
        region: "bom",
        group: { name: "Journaling India", address: "journaling-in@contoso.com", members: ["priya@contoso.com"] },
      },
    ],
  },
};

export function connector(host: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Identity: `Connector ${host}`,
    Name: `Connector ${host}`,
    Enabled: true,
    ConnectorType: "Partner",
    RecipientDomains: [host],
    SmartHosts: [host],
    UseMXRecord: false,
    TlsSettings: "CertificateValidation",
    IsTransportRuleScoped: false,
    ...overrides,
  };
}

export const gateway = {
  Identity: "Outbound to gateway",
  Name: "Outbound to gateway",
  Enabled: true,
  ConnectorType: "Partner",
  RecipientDomains: ["*"],
  SmartHosts: ["gateway.mailsec.example"],
  UseMXRecord: false,
  TlsSettings: "EncryptionOnly",
  IsTransportRuleScoped: false,
};

export function rule(address: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: "Journal Messages to Cloudflare Area 1",
    Identity: "Journal Messages to Cloudflare Area 1",
    JournalEmailAddress: address,
    Recipient: null,
    Scope: "External",
    Enabled: true,
    ...overrides,
  };
}
