import { ROLE_TEMPLATE_IDS } from "../directory/types";

/**
 * Which Entra roles (token `wids`, role template ids) may run which cmdlets. Exchange computes
 * RBAC from these roles for both delegated and app-only tokens (reference §4):
 * - Global Administrator and Exchange Administrator reach Organization Management: everything.
 * - Compliance Administrator: read everything, and manage journal rules (the Journaling role
 *   is in Compliance Management). Nothing else.
 * - Global Reader: read-only (View-Only Organization Management).
 * - Anyone else: nothing; the service answers "User is not allowed to call <cmdlet>".
 */
const JOURNAL_RULE_CMDLETS: ReadonlySet<string> = new Set([
  "New-JournalRule",
  "Set-JournalRule",
  "Enable-JournalRule",
  "Disable-JournalRule",
  "Remove-JournalRule",
]);

function isRead(cmdlet: string): boolean {
  return cmdlet.startsWith("Get-");
}

export function mayRun(cmdlet: string, roles: readonly string[]): boolean {
  const has = (id: string): boolean => roles.includes(id);
  if (has(ROLE_TEMPLATE_IDS.globalAdministrator) || has(ROLE_TEMPLATE_IDS.exchangeAdministrator)) return true;
  if (has(ROLE_TEMPLATE_IDS.complianceAdministrator)) return isRead(cmdlet) || JOURNAL_RULE_CMDLETS.has(cmdlet);
  if (has(ROLE_TEMPLATE_IDS.globalReader)) return isRead(cmdlet);
  return false;
}
