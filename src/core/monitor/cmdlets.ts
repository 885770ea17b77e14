/**
 * The Exchange calls the monitor makes besides the status's own reads, as data so a test binds
 * them against the reference cmdlets.json like the planner's.
 */
export const MONITOR_CALLS = {
  /** Whether the app-only identity may read Exchange (its service principal has a role). */
  identityProbe: { cmdlet: "Get-TransportConfig", parameters: {} },
  /** Every user mailbox with its UsageLocation, for the regional lists' coverage. */
  mailboxes: { cmdlet: "Get-Mailbox", parameters: { RecipientTypeDetails: ["UserMailbox"], ResultSize: "Unlimited" } },
} as const;
