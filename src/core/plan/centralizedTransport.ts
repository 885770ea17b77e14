import type { OutboundConnector } from "../observed/types";
import type { PlanWarning } from "./types";

/**
 * Hybrid centralized mail transport (CMT): an enabled OnPremises outbound connector with
 * RouteAllMessagesViaOnPremises $true. Exchange Online then sends all outbound mail through the
 * on-premises organization (learn.microsoft.com/exchange/transport-options; Set-OutboundConnector
 * -RouteAllMessagesViaOnPremises). Journal reports are system messages that skip mail flow rules,
 * so they follow that route too and a connector to the journaling host is ignored while CMT is on
 * (c7solutions.com/2018/02/journal-rule-testing-in-exchange-online). Sources in
 * docs/reference-additions.md, "Hybrid centralized mail transport and journal reports".
 */
export interface CentralizedTransport {
  readonly connector: OutboundConnector;
  /** The journaling hosts whose reports take the on-premises route. */
  readonly hosts: readonly string[];
}

/** Exchange's recipient-domain match: `*`, `*.domain` (the domain and its subdomains), or exact. */
function domainMatches(pattern: string, domain: string): boolean {
  const p = pattern.toLowerCase();
  const d = domain.toLowerCase();
  if (p === "*") return true;
  if (p.startsWith("*.")) return d === p.slice(2) || d.endsWith(p.slice(1));
  return p === d;
}

export function isCentralizedTransport(c: OutboundConnector): boolean {
  return (
    c.Enabled &&
    !c.TestMode &&
    !c.IsTransportRuleScoped &&
    c.ConnectorType.toLowerCase() === "onpremises" &&
    c.RouteAllMessagesViaOnPremises
  );
}

/** The CMT connector that takes journal reports to any of `hosts`, and which hosts it takes. */
export function findCentralizedTransport(
  connectors: readonly OutboundConnector[],
  hosts: readonly string[],
): CentralizedTransport | undefined {
  for (const connector of connectors) {
    if (!isCentralizedTransport(connector)) continue;
    const taken = hosts.filter((h) => connector.RecipientDomains.some((p) => domainMatches(p, h)));
    if (taken.length > 0) return { connector, hosts: taken };
  }
  return undefined;
}

/** What an admin reads before applying: what happens to journal reports, and the two ways out. */
export function centralizedTransportMessage(cmt: CentralizedTransport): string {
  const c = cmt.connector;
  const onPremises = c.SmartHosts.length > 0 ? c.SmartHosts.join(", ") : "by MX record";
  const hosts = cmt.hosts.join(", ");
  return (
    `Hybrid centralized mail transport is on: connector "${c.Name}" (OnPremises, RouteAllMessagesViaOnPremises) ` +
    `sends all outbound mail through your on-premises organization (${onPremises}), and journal reports follow it: ` +
    `Exchange Online ignores the connector to ${hosts} while this is on. ` +
    `Either add a send connector on-premises that delivers ${hosts} directly over TLS, ` +
    `or turn off centralized mail transport (Hybrid Configuration Wizard). ` +
    `Until then, journal reports reach the service only if your on-premises servers pass them on.`
  );
}

export function centralizedTransportWarning(
  connectors: readonly OutboundConnector[],
  hosts: readonly string[],
): PlanWarning | undefined {
  const cmt = findCentralizedTransport(connectors, hosts);
  return cmt ? { code: "centralized-mail-transport", message: centralizedTransportMessage(cmt) } : undefined;
}
