import { domainMatches } from "./cmdlets/context";
import type { OutboundConnectorRecord, TenantRecord } from "./types";

/**
 * Hybrid centralized mail transport (CMT): an outbound connector with ConnectorType OnPremises
 * and RouteAllMessagesViaOnPremises $true.
 *
 * Sources:
 * - New-/Set-OutboundConnector, -RouteAllMessagesViaOnPremises
 *   (https://learn.microsoft.com/powershell/module/exchangepowershell/set-outboundconnector):
 *   "specifies that all messages serviced by this connector are first routed through the
 *   on-premises email system in hybrid organizations … $true … requires OnPremises for the
 *   ConnectorType value … This parameter is effective only for OnPremises connectors."
 * - Transport options in Exchange hybrid deployments
 *   (https://learn.microsoft.com/exchange/transport-options): "With centralized mail transport, you
 *   can route all mail from mailboxes in the Exchange Online organization through the on-premises
 *   organization before they're delivered to the Internet."
 * - Journal reports are system messages that skip mail flow rules, so no conditional route can
 *   catch them; with CMT on, "the standard connector for the SMTP namespace is ignored, as all mail
 *   routes via the * connector … journal reports will only follow the routing to *"
 *   (Brian Reid, "Journal Rule Testing in Exchange Online", c7solutions.com/2018/02/journal-rule-testing-in-exchange-online).
 *
 * So a journal report whose domain the CMT connector serves takes the CMT connector, even where a
 * Partner connector names the journaling host exactly.
 */
export function isCentralizedTransport(c: OutboundConnectorRecord): boolean {
  return (
    c.Enabled &&
    !c.TestMode &&
    !c.IsTransportRuleScoped &&
    c.ConnectorType === "OnPremises" &&
    c.RouteAllMessagesViaOnPremises
  );
}

/** The CMT connector that takes mail for `domain`, if centralized mail transport is on for it. */
export function centralizedRoute(record: TenantRecord, domain: string): OutboundConnectorRecord | undefined {
  return record.exchange.outboundConnectors.find(
    (c) => isCentralizedTransport(c) && c.RecipientDomains.some((pattern) => domainMatches(pattern, domain)),
  );
}
