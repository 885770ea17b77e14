import type { IntervalTrace, StatusResponse } from "../contract/status";
import type { AlertCode } from "../contract/monitor";
import { describeFinding } from "../status/deliveryFindings";
import { statusText } from "../resources/registry";
import { intervalMinutes } from "./interval";

const BOUNCE_ACTION =
  "Validate the connector from the Status page; a failed validation says what to fix at the service.";

/**
 * What a monitor check found wrong, one entry per (code, subject). The alert state machine
 * (./alerts) keys on `key`: the same key in the next check is the same problem (updated, not raised
 * again); `fingerprint` changes when the cause or the drifted values change (not the counts).
 */
export interface Problem {
  readonly key: string;
  readonly code: AlertCode;
  readonly title: string;
  readonly text: string;
  /** The one action that fixes it. */
  readonly action: string;
  /**
   * What the admin was told, reduced to what matters: the same fingerprint in the next check updates
   * the alert without a notification.
   */
  readonly fingerprint: string;
  /** When the problem began, when the data says (queued since ...); otherwise the check that first saw it. */
  readonly since?: string;
}

/** ISO time as an admin reads it in a notification (UTC, minutes). */
export function utcTime(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** Connector properties that decide whether journal reports travel over verified TLS. */
const TLS_PROPERTIES = new Set(["TlsSettings", "TlsDomain", "SmartHosts", "UseMXRecord"]);

/**
 * The problems in one status (the same StatusResponse the pane shows): delivery findings (queued
 * reports, disabled rules), reports that failed within `recentMs` of `nowMs` or in the monitor's
 * interval (`sinceLastCheck`), undeliverable reports (NDRs) that arrived at the NDR mailbox, and
 * resources that drifted from the applied setup or went missing.
 */
export function problemsFromStatus(status: StatusResponse, nowMs: number, recentMs: number): Problem[] {
  if (!status.hasSetup || status.setupState === "removed") return [];
  const problems: Problem[] = [];
  const ruleFindings = new Set<string>();
  for (const f of status.findings ?? []) {
    // A paused setup's rules are off on purpose: that is not a problem to alert on.
    if (status.setupState === "paused" && f.code !== "reports-queued") continue;
    const words = describeFinding(f, utcTime);
    const code: AlertCode = f.code === "reports-queued" ? "reports-queued" : "rule-disabled";
    if (code === "rule-disabled" && f.rule) ruleFindings.add(f.rule);
    problems.push({
      key: `${code}:${f.address.toLowerCase()}`,
      code,
      title: words.title,
      text: words.text,
      action: capitalise(words.next),
      ...(f.since ? { since: f.since } : {}),
      // Growing counts update the alert silently; a change of cause (queued -> rule disabled) is news.
      fingerprint: f.code,
    });
  }
  const interval = status.sinceLastCheck;
  for (const trace of status.messageTrace.perAddress) {
    const failed = recentCount(trace.hourly, nowMs, recentMs, "failed");
    // Failed reports the monitor counted over its interval are a problem too (same key: one alert).
    const inInterval =
      interval?.perAddress.find((c) => c.address.toLowerCase() === trace.address.toLowerCase())?.failed ?? 0;
    if (failed === 0 && inInterval === 0) continue;
    const text =
      inInterval > 0
        ? `${inInterval} journal report${inInterval === 1 ? "" : "s"} to ${trace.address} failed since the last check (${intervalMinutes(interval as IntervalTrace)} min) and went to the undeliverable-reports mailbox: those messages were not journaled.`
        : `${failed} journal report${failed === 1 ? "" : "s"} to ${trace.address} failed in the last ${Math.round(recentMs / 60_000)} minutes and went to the undeliverable-reports mailbox: those messages were not journaled.`;
    problems.push({
      key: `undeliverable-reports:${trace.address.toLowerCase()}`,
      code: "undeliverable-reports",
      title: `Journal reports to ${trace.address} bounced`,
      text,
      action: BOUNCE_ACTION,
      fingerprint: "bounced",
    });
  }
  // Undeliverable reports that arrived at the NDR mailbox: the on-time sign of failed reports (a report
  // fails a day after Exchange received it, outside the trace's last 24 hours; its NDR arrives now).
  const ndr = interval?.undeliverable;
  if (interval && ndr && (ndr.count > 0 || ndr.recent > 0)) {
    const n = ndr.count > 0 ? ndr.count : ndr.recent;
    const when =
      ndr.count > 0
        ? `since the last check (${intervalMinutes(interval)} min)`
        : `in the last ${Math.round(recentMs / 60_000)} minutes`;
    problems.push({
      key: `undeliverable-reports:ndr:${ndr.address.toLowerCase()}`,
      code: "undeliverable-reports",
      title: `Undeliverable journal reports arrived at ${ndr.address}`,
      text: `${n} undeliverable report${n === 1 ? "" : "s"} arrived at ${ndr.address} ${when}: Exchange could not deliver those journal reports, so those messages were not journaled. Each one has the journal report attached and says why.`,
      action: BOUNCE_ACTION,
      fingerprint: "ndr",
    });
  }
  for (const r of status.resources) {
    if (r.state === "ok" || r.state === "paused") continue;
    const onlyEnabled = r.kind === "journalRule" && r.drift.every((d) => d.property === "Enabled");
    // A disabled rule is already a delivery finding with its likely cause.
    if (onlyEnabled && r.state === "drifted" && r.identity !== undefined && ruleFindings.has(r.identity)) continue;
    if (onlyEnabled && r.state === "drifted" && status.setupState === "paused") continue;
    const tls = r.kind === "outboundConnector" && r.drift.some((d) => TLS_PROPERTIES.has(d.property));
    const code: AlertCode = tls ? "connector-tls" : "resource-drift";
    problems.push({
      key: `${code}:${r.kind}:${r.key.toLowerCase()}`,
      code,
      title:
        r.state === "missing"
          ? `${r.label} is missing`
          : tls
            ? `${r.label}: TLS settings changed`
            : `${r.label} differs from the setup`,
      text: statusText(r),
      action:
        r.state === "missing"
          ? "Open the Status page and apply the setup again to recreate it."
          : "Open the Status page and apply the setup again to put it back (or update the setup if the change was intended).",
      fingerprint: `${r.state}/${JSON.stringify(r.drift)}`,
    });
  }
  return problems;
}

/** Reports of a kind in the hourly buckets that overlap the last `recentMs` (trace numbers are hourly). */
export function recentCount(
  hourly: readonly {
    readonly hour: string;
    readonly delivered: number;
    readonly failed: number;
    readonly pending?: number;
  }[],
  nowMs: number,
  recentMs: number,
  kind: "delivered" | "failed" | "pending",
): number {
  const from = nowMs - recentMs;
  let n = 0;
  for (const h of hourly) {
    const start = Date.parse(h.hour);
    if (Number.isNaN(start) || start + 3_600_000 <= from || start > nowMs) continue;
    n += h[kind] ?? 0;
  }
  return n;
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]?.toUpperCase() + s.slice(1);
}
