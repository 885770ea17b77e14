import type { SnapshotSource } from "../contract/monitor";

const BY: Readonly<Record<SnapshotSource, string>> = {
  monitor: "the monitor",
  pane: "someone in the app",
  cli: "the command line",
};

/** How old a snapshot is, in words: "just now", "4 min ago", "3 h ago", "2 days ago". */
export function ageWords(checkedAtMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - checkedAtMs) / 1000));
  if (s < 60) return "just now";
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** "last checked 4 min ago by the monitor" (the CLI's first line; the pane's snapshot caption). */
export function snapshotAgeLine(checkedAt: string, checkedBy: SnapshotSource, nowMs: number): string {
  return `last checked ${ageWords(Date.parse(checkedAt), nowMs)} by ${BY[checkedBy]}`;
}
