import type { AlertCode, AlertNotificationKind } from "../contract/monitor";
import type { Problem } from "./problems";

/**
 * The alert state machine, pure: given the alerts open before a check and the problems the check
 * found, what to raise, update and resolve. A new problem raises one alert; the same problem in a
 * later check updates it (and notifies again only when what the admin is told changed); a problem
 * that is gone resolves its alert with a resolved notice. Problems are matched by `key`.
 */
export interface OpenAlert {
  readonly id: string;
  readonly key: string;
  readonly fingerprint: string;
}

export interface AlertContent {
  readonly key: string;
  readonly code: AlertCode;
  readonly title: string;
  readonly text: string;
  readonly action: string;
  readonly since: string;
  readonly fingerprint: string;
}

export type AlertTransition =
  | { readonly kind: "raised"; readonly alert: AlertContent; readonly notify: true }
  | { readonly kind: "updated"; readonly id: string; readonly alert: AlertContent; readonly notify: boolean }
  | { readonly kind: "resolved"; readonly id: string; readonly notify: true };

/** What `notify` sends for a transition: the notification's kind. */
export function notificationKind(t: AlertTransition): AlertNotificationKind {
  return t.kind;
}

/**
 * `checkedAt` is when the check ran (the `since` of a new problem whose data names no start). A
 * check that failed as a whole must not call this with no problems (that would resolve everything):
 * the caller raises a `check-failed` problem and keeps the others open (see `keepOpen`).
 */
export function transitions(
  open: readonly OpenAlert[],
  problems: readonly Problem[],
  checkedAt: string,
  keepOpen: (key: string) => boolean = () => false,
): AlertTransition[] {
  const out: AlertTransition[] = [];
  const byKey = new Map(open.map((a) => [a.key, a]));
  const seen = new Set<string>();
  for (const p of problems) {
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    const content: AlertContent = {
      key: p.key,
      code: p.code,
      title: p.title,
      text: p.text,
      action: p.action,
      since: p.since ?? checkedAt,
      fingerprint: p.fingerprint,
    };
    const existing = byKey.get(p.key);
    if (!existing) out.push({ kind: "raised", alert: content, notify: true });
    else out.push({ kind: "updated", id: existing.id, alert: content, notify: existing.fingerprint !== p.fingerprint });
  }
  for (const a of open) {
    if (!seen.has(a.key) && !keepOpen(a.key)) out.push({ kind: "resolved", id: a.id, notify: true });
  }
  return out;
}
