import type { ParamValue } from "../../exchange/catalog";
import type { ObservedState } from "../../observed/types";
import type { JournalingTarget, ResolvedSetup } from "../../plan/setup";
import type { ActionDraft, Drift, PlanWarning, ResourceDiff, ResourceStatus } from "../../plan/types";
import type { OutboundConnector } from "./schema";

/**
 * Resource: one Partner outbound connector per journaling host in use. A connector's smart hosts
 * apply to all its recipient domains, so hosts are never mixed in one connector.
 */
export const connectorResource = (host: string): string => `connector:${host.toLowerCase()}`;

const lower = (values: readonly string[]): string[] => values.map((v) => v.toLowerCase());

/** TLS settings that satisfy "certificate issued by a trusted CA"; DomainValidation is stricter still. */
const ACCEPTED_TLS = new Set(["certificatevalidation", "domainvalidation"]);

/**
 * An outbound gateway: an enabled connector for every domain (`*`) through smart hosts that is
 * not scoped to mail flow rules (journal reports skip those rules, so scoped connectors don't catch them).
 */
export function findOutboundGateway(connectors: readonly OutboundConnector[]): OutboundConnector | undefined {
  return connectors.find(
    (c) =>
      c.Enabled &&
      !c.IsTransportRuleScoped &&
      lower(c.RecipientDomains).includes("*") &&
      !c.UseMXRecord &&
      c.SmartHosts.length > 0,
  );
}

/** A connector serves a host when the host is one of its recipient domains. */
export function findConnectorForHost(
  connectors: readonly OutboundConnector[],
  host: string,
): OutboundConnector | undefined {
  const h = host.toLowerCase();
  const candidates = connectors.filter((c) => lower(c.RecipientDomains).includes(h));
  // Prefer the one that already routes to the host itself.
  return candidates.find((c) => lower(c.SmartHosts).includes(h)) ?? candidates[0];
}

export function desiredConnectorProperties(host: string): Record<string, ParamValue> {
  return {
    ConnectorType: "Partner",
    RecipientDomains: [host],
    SmartHosts: [host],
    UseMXRecord: false,
    TlsSettings: "CertificateValidation",
    IsTransportRuleScoped: false,
    Enabled: true,
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const la = [...new Set(lower(a))].sort();
  const lb = [...new Set(lower(b))].sort();
  return la.length === lb.length && la.every((v, i) => v === lb[i]);
}

export function connectorDrift(connector: OutboundConnector, host: string): Drift[] {
  const drift: Drift[] = [];
  const add = (property: string, desired: ParamValue, actual: ParamValue): void => {
    drift.push({ property, desired, actual });
  };
  if (connector.ConnectorType.toLowerCase() !== "partner") add("ConnectorType", "Partner", connector.ConnectorType);
  if (!sameSet(connector.RecipientDomains, [host])) add("RecipientDomains", [host], connector.RecipientDomains);
  if (!sameSet(connector.SmartHosts, [host])) add("SmartHosts", [host], connector.SmartHosts);
  if (connector.UseMXRecord) add("UseMXRecord", false, true);
  if (!ACCEPTED_TLS.has((connector.TlsSettings ?? "").toLowerCase()))
    add("TlsSettings", "CertificateValidation", connector.TlsSettings);
  if (connector.IsTransportRuleScoped) add("IsTransportRuleScoped", false, true);
  if (!connector.Enabled) add("Enabled", true, false);
  return drift;
}

/** Whether the setup manages connectors at all (connector: auto | always | never). */
export function connectorsManaged(setup: ResolvedSetup, observed: ObservedState): boolean {
  if (setup.connectorMode === "never") return false;
  if (setup.connectorMode === "always") return true;
  const connectors = observed["Get-OutboundConnector"];
  return (
    findOutboundGateway(connectors) !== undefined ||
    setup.targets.some((t) => findConnectorForHost(connectors, t.region.host) !== undefined)
  );
}

function uniqueName(wanted: string, target: JournalingTarget, taken: Set<string>): string {
  const candidates = [wanted, `${wanted} (${target.region.id})`];
  for (const c of candidates) if (!taken.has(c.toLowerCase())) return c;
  for (let n = 2; ; n++) {
    const c = `${wanted} (${target.region.id}) ${n}`;
    if (!taken.has(c.toLowerCase())) return c;
  }
}

export function diffOutboundConnectors(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  if (setup.state === "removed") return diffRemoved(setup, observed);
  const active = diffActive(setup, observed);
  // Paused touches nothing but the journal rules: the status still says how the connectors stand.
  return setup.state === "paused" ? { status: active.status, actions: [], warnings: [] } : active;
}

/** The setup's connectors: those whose every recipient domain is one of the profile's hosts (what it creates). */
function isSetupConnector(setup: ResolvedSetup, c: OutboundConnector): boolean {
  const profileHosts = new Set(setup.profile.regions.map((r) => r.host.toLowerCase()));
  const domains = lower(c.RecipientDomains);
  return domains.length > 0 && domains.every((d) => profileHosts.has(d));
}

/**
 * Removed: the connectors the setup created (recipient domains only this service's hosts) go,
 * after the journal rules that use them. A connector that also serves other domains, or a gateway
 * for all domains, was not made by the setup and stays; the plan says so.
 */
function diffRemoved(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const status: ResourceStatus[] = [];
  const actions: ActionDraft[] = [];
  const warnings: PlanWarning[] = [];
  const profileHosts = new Set(setup.profile.regions.map((r) => r.host.toLowerCase()));
  for (const c of observed["Get-OutboundConnector"]) {
    const domains = lower(c.RecipientDomains);
    if (isSetupConnector(setup, c)) {
      status.push({
        kind: "outboundConnector",
        key: domains.join(","),
        label: `Outbound connector "${c.Name}"`,
        state: "unwanted",
        drift: [],
        identity: c.Identity ?? c.Name,
      });
      actions.push({
        id: `connector-remove:${c.Name}`,
        cmdlet: "Remove-OutboundConnector",
        parameters: { Identity: c.Name, Confirm: false },
        reason: `The setup is removed: connector "${c.Name}" delivered journal reports to ${c.RecipientDomains.join(", ")} and nothing else.`,
        needs: ["journal-rules-removed"],
        teardown: true,
      });
    } else if (domains.some((d) => profileHosts.has(d))) {
      const others = c.RecipientDomains.filter((d) => !profileHosts.has(d.toLowerCase()));
      warnings.push({
        code: "removal-keeps",
        message: `Connector "${c.Name}" stays: it also delivers to ${others.join(", ")}, so the setup did not create it. Remove the journaling hosts from its recipient domains by hand if you no longer need them.`,
      });
    }
  }
  return { status, actions, warnings };
}

function diffActive(setup: ResolvedSetup, observed: ObservedState): ResourceDiff {
  const connectors = observed["Get-OutboundConnector"];
  const gateway = findOutboundGateway(connectors);
  const warnings: PlanWarning[] = [];
  if (!connectorsManaged(setup, observed)) {
    if (gateway) {
      warnings.push({
        code: "gateway-without-connector",
        message: `Outbound mail goes through the gateway connector "${gateway.Name}" (${gateway.SmartHosts.join(", ")}), and the setup creates no direct connector (connector: never): journal reports will travel through that gateway.`,
      });
    }
    return { status: [], actions: [], warnings };
  }
  const why = gateway
    ? `outbound mail goes through the gateway connector "${gateway.Name}", so journal reports need their own route`
    : "the setup asks for a direct connector (connector: always)";
  const status: ResourceStatus[] = [];
  const actions: ActionDraft[] = [];
  const taken = new Set(connectors.map((c) => c.Name.toLowerCase()));
  const usedHosts = new Set(setup.targets.map((t) => t.region.host.toLowerCase()));

  for (const target of setup.targets) {
    const host = target.region.host;
    const label = `Outbound connector to ${host}`;
    const existing = findConnectorForHost(connectors, host);
    // auto without a gateway: mail reaches the host directly; only connectors that exist are kept in shape.
    if (!existing && setup.connectorMode === "auto" && !gateway) continue;
    if (!existing) {
      const name = uniqueName(target.connectorName, target, taken);
      taken.add(name.toLowerCase());
      status.push({ kind: "outboundConnector", key: host, label, state: "missing", drift: [] });
      actions.push({
        id: `connector:${host}`,
        cmdlet: "New-OutboundConnector",
        parameters: { Name: name, ...desiredConnectorProperties(host) },
        reason: `No connector delivers to ${host}; ${why}.`,
        provides: connectorResource(host),
      });
      continue;
    }
    const drift = connectorDrift(existing, host);
    const identity = existing.Identity ?? existing.Name;
    status.push({
      kind: "outboundConnector",
      key: host,
      label,
      state: drift.length ? "drifted" : "ok",
      drift,
      identity,
    });
    if (drift.length === 0) continue;
    const otherDomains = existing.RecipientDomains.filter((d) => d.toLowerCase() !== host.toLowerCase());
    if (otherDomains.length > 0) {
      warnings.push({
        code: "connector-shared-domains",
        message: `Connector "${existing.Name}" also serves ${otherDomains.join(", ")}. Its smart hosts apply to all its domains, so the plan narrows it to ${host} only; mail to those domains will use their own routes.`,
      });
    }
    const parameters: Record<string, ParamValue> = { Identity: existing.Name };
    for (const d of drift) parameters[d.property] = d.desired;
    actions.push({
      id: `connector:${host}`,
      cmdlet: "Set-OutboundConnector",
      parameters,
      reason: `Connector "${existing.Name}" differs from the setup: ${drift.map((d) => `${d.property} is ${show(d.actual)}, should be ${show(d.desired)}`).join("; ")}.`,
      provides: connectorResource(host),
    });
  }

  // Connectors to this service's hosts that no region uses any more: unused routes, removed.
  const profileHosts = new Set(setup.profile.regions.map((r) => r.host.toLowerCase()));
  for (const c of connectors) {
    const domains = lower(c.RecipientDomains);
    if (domains.length === 0 || !domains.every((d) => profileHosts.has(d) && !usedHosts.has(d))) continue;
    status.push({
      kind: "outboundConnector",
      key: domains.join(","),
      label: `Outbound connector "${c.Name}"`,
      state: "unwanted",
      drift: [],
      identity: c.Identity ?? c.Name,
    });
    actions.push({
      id: `connector-remove:${c.Name}`,
      cmdlet: "Remove-OutboundConnector",
      parameters: { Identity: c.Name, Confirm: false },
      reason: `Connector "${c.Name}" delivers to ${c.RecipientDomains.join(", ")}, which no region of the setup uses any more.`,
      needs: ["journal-rules-removed"],
      teardown: true,
    });
  }
  return { status, actions, warnings };
}

export function show(value: ParamValue): string {
  if (value === null) return "not set";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "empty";
  return String(value);
}
