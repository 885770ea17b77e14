import type { AddressTrace, DeliveryFinding } from "../contract/status";
import type { ResourceStatus } from "../plan/types";

/**
 * Journal report delivery problems worth a word in the status, from the message trace and the
 * journal rules' state. Facts behind the words (docs/reference-additions.md, "Deferred journal
 * reports"): a deferred report (TLS failure, 4xx) stays queued and is retried for a day (trace status
 * Pending), then fails and bounces to the undeliverable-reports mailbox; Microsoft contacts the
 * organization and disables the journal rule if the destination is not fixed two days after that.
 * Exchange records no reason on a disabled rule, so the cause is inferred from the trace.
 */
export interface FindingTarget {
  /** The journal rule resource's key (the region id). */
  readonly key: string;
  readonly journalingAddress: string;
}

export function deliveryFindings(
  targets: readonly FindingTarget[],
  resources: readonly ResourceStatus[],
  perAddress: readonly AddressTrace[],
): DeliveryFinding[] {
  const findings: DeliveryFinding[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const address = t.journalingAddress.toLowerCase();
    const trace = perAddress.find((a) => a.address.toLowerCase() === address);
    const pending = trace?.pending ?? 0;
    const failed = trace?.failed ?? 0;
    const since = trace?.queuedSince ?? undefined;
    const rule = resources.find((r) => r.kind === "journalRule" && r.key === t.key);
    const disabled = rule?.drift.some((d) => d.property === "Enabled" && d.actual === false) ?? false;
    if (disabled) {
      findings.push({
        code: pending + failed > 0 ? "rule-disabled-undeliverable" : "rule-disabled",
        address: t.journalingAddress,
        rule: rule?.identity ?? rule?.label ?? "",
        ...(since ? { since } : {}),
        pending,
        failed,
      });
      seen.add(address);
    } else if (pending > 0 && !seen.has(address)) {
      findings.push({
        code: "reports-queued",
        address: t.journalingAddress,
        ...(since ? { since } : {}),
        pending,
        failed,
      });
      seen.add(address);
    }
  }
  return findings;
}

export interface FindingText {
  readonly title: string;
  /** What happened and why (the cause). */
  readonly text: string;
  /** What to do, in order: fix the cause first, then re-enable. */
  readonly next: string;
}

/** Words for a finding; `time` formats an ISO time for the reader (the pane: local time). */
export function describeFinding(f: DeliveryFinding, time: (iso: string) => string): FindingText {
  const queued = f.pending > 0 ? `${f.pending} queued${f.since ? ` since ${time(f.since)}` : ""}` : "";
  const failed = f.failed > 0 ? `${f.failed} failed` : "";
  const counts = [failed, queued].filter((s) => s !== "").join(", ");
  switch (f.code) {
    case "reports-queued":
      return {
        title: `Journal reports to ${f.address} are queued`,
        text: `Journal reports are queued since ${f.since ? time(f.since) : "recently"}: the service is not accepting them (TLS?). Exchange retries each report for a day, then returns it to the undeliverable-reports mailbox; if the reports stay undeliverable, Microsoft contacts your organization and disables the journal rule two days later.`,
        next: "validate the connector; a failed validation says what to fix (usually the TLS certificate or the smart host).",
      };
    case "rule-disabled-undeliverable":
      return {
        title: `Journal rule "${f.rule ?? ""}" was most likely disabled by Microsoft`,
        text: `Journal reports to ${f.address} could not be delivered (${counts}). Microsoft disables a journal rule whose reports stay undeliverable, two days after it contacts your organization; the rule is off, so nothing is journaled now.`,
        next: "fix the delivery first (validate the connector; the journaling host must accept TLS from Exchange Online), then review and apply the plan again to re-enable the rule. Re-enabled before the fix, the reports fail again.",
      };
    case "rule-disabled":
      return {
        title: `Journal rule "${f.rule ?? ""}" is disabled`,
        text: `Nothing is journaled to ${f.address}. If nobody in your organization disabled the rule, Microsoft may have: it disables a journal rule whose reports stay undeliverable. Such reports come back to the undeliverable-reports mailbox.`,
        next: "check that mailbox for bounced journal reports and fix the delivery, then review and apply the plan again to re-enable the rule.",
      };
  }
}
