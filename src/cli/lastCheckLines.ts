import type { IntervalTrace } from "../core/contract";
import { intervalLine, undeliverableLine } from "../core/monitor/interval";

/**
 * The monitor's last interval under the snapshot's age line, one line per journaling address and
 * one for the NDR mailbox (empty when the snapshot has no interval, e.g. no check has run yet):
 *   journaling-eu@… Since the last check (15 min): 12 delivered, 0 pending, 1 failed
 */
export function lastCheckLines(interval: IntervalTrace | undefined): string {
  if (!interval) return "";
  const lines = interval.perAddress.map((c) => `  ${c.address}: ${intervalLine(interval, c)}\n`);
  const ndr = undeliverableLine(interval);
  if (ndr) lines.push(`  ${ndr}\n`);
  return lines.join("");
}
