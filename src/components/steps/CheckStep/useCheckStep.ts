import { useMemo } from "react";
import { isUnsetAddress } from "../../../core/desired/smtp";
import type { ObservedState } from "../../../core/observed/types";
import { findCentralizedTransport } from "../../../core/plan/centralizedTransport";
import { findOutboundGateway } from "../../../core/resources/outboundConnector/diff";
import { MAX_JOURNAL_RULES } from "../../../core/resources/journalRule/diff";
import { useServices } from "../../services/ServicesContext";
import type { Finding } from "./CheckStep.types";

/**
 * Hybrid centralized mail transport replaces the gateway line: the on-premises connector is a "*"
 * route through smart hosts too, but there a direct connector does not help (journal reports follow
 * the on-premises route regardless), so the admin needs another remedy.
 */
function hybridFinding(observed: ObservedState, hosts: readonly string[]): Finding | undefined {
  const cmt = findCentralizedTransport(observed["Get-OutboundConnector"], hosts);
  if (!cmt) return undefined;
  const onPremises = cmt.connector.SmartHosts.join(", ") || "by MX record";
  return {
    id: "hybrid",
    label: "Hybrid centralized mail transport",
    value: `On: ${cmt.connector.Name} (${onPremises})`,
    reason:
      `Exchange Online sends all outbound mail, journal reports included, through your on-premises organization (${onPremises}); ` +
      "a connector to the journaling host is ignored while this is on. To reach the service, add a send connector on-premises " +
      "that delivers to the journaling host over TLS, or turn off centralized mail transport (Hybrid Configuration Wizard).",
    intent: "warning",
  };
}

/** What the tenant already has, one sentence of "why it matters" each. `hosts`: the service's journaling hosts. */
export function findingsFor(observed: ObservedState, hosts: readonly string[]): Finding[] {
  const connectors = observed["Get-OutboundConnector"];
  const gateway = findOutboundGateway(connectors);
  const hybrid = hybridFinding(observed, hosts);
  const ndr = observed["Get-TransportConfig"].JournalingReportNdrTo;
  const rules = observed["Get-JournalRule"];
  const free = MAX_JOURNAL_RULES - rules.length;
  return [
    {
      id: "connectors",
      label: "Outbound connectors",
      value: connectors.length === 0 ? "None" : connectors.map((c) => c.Name).join(", "),
      reason:
        connectors.length === 0
          ? "Exchange delivers outbound mail itself, by MX record."
          : `${connectors.length} connector${connectors.length === 1 ? "" : "s"} already route${connectors.length === 1 ? "s" : ""} some outbound mail; the setup never changes connectors it did not create.`,
      intent: "info",
    },
    hybrid ?? {
      id: "gateway",
      label: "Outbound gateway",
      value: gateway ? `Yes: ${gateway.Name} (${gateway.SmartHosts.join(", ")})` : "No",
      reason: gateway
        ? "All outbound mail goes through this gateway, so the setup adds a direct connector to the journaling host; otherwise journal reports would go to the gateway."
        : "Outbound mail goes straight to the internet, so journal reports reach the service without an extra connector.",
      intent: gateway ? "warning" : "success",
    },
    {
      id: "ndr",
      label: "Address for undeliverable journal reports",
      value: isUnsetAddress(ndr) ? "Not set" : String(ndr),
      reason: isUnsetAddress(ndr)
        ? "Exchange creates no journal rule until this is set; you choose the mailbox in step 4."
        : "Exchange already sends undeliverable journal reports here; step 4 keeps or changes it.",
      intent: isUnsetAddress(ndr) ? "info" : "success",
    },
    {
      id: "rules",
      label: "Journal rules",
      value: `${rules.length} of ${MAX_JOURNAL_RULES} allowed are used`,
      reason:
        free <= 0
          ? "Exchange allows no more journal rules: remove one you no longer need before adding the service's."
          : `The setup needs one rule per region; ${free} more can be added.`,
      intent: free <= 0 ? "warning" : rules.length > 0 ? "info" : "success",
    },
  ];
}

export function useCheckStep(observed: ObservedState | null): Finding[] | null {
  const { profile } = useServices();
  return useMemo(
    () =>
      observed
        ? findingsFor(
            observed,
            profile.regions.map((r) => r.host),
          )
        : null,
    [observed, profile],
  );
}
