/**
 * Issue 15: "was this message journaled?" (GET /api/messages/journaling, the Outlook message-read
 * view) and the mail-flow test (POST/GET /api/mailflow-tests, the Status step's "Send a test
 * message"). Zod-free: the pane imports it.
 */

/** The answer's kind. */
export type MessageJournalingVerdict = "journaled" | "notJournaled" | "notYetKnown" | "tooOld";

/** Why a message was not journaled, or why the answer is not known. */
export type MessageJournalingReason =
  "internalOnly" | "notInAnyRegion" | "ruleDisabled" | "paused" | "noRule" | "traceLag" | "olderThanTrace";

/** What message trace knows of the message itself. */
export interface TracedMessageSummary {
  readonly subject?: string;
  readonly sender: string;
  readonly recipients: readonly string[];
  /** When Exchange received it (ISO 8601). */
  readonly received: string;
  /** Message trace status of the original (Delivered, Pending, Failed, ...). */
  readonly status: string;
}

export type JournalReportStatus = "Delivered" | "Pending" | "Failed";

/** One journal report of the message: to which journaling address (region, host) and its fate. */
export interface MessageJournalReport {
  readonly address: string;
  /** The region key of the applied setup whose address this is (absent when no region has it). */
  readonly region?: string;
  /** The journaling host the address's connector sends to. */
  readonly host?: string;
  readonly status: JournalReportStatus;
  /** When the report was sent (ISO 8601). */
  readonly at: string;
  /** Pending: since when the destination has not accepted it. */
  readonly pendingSince?: string;
  /** Failed (or Pending): the delivery detail, in Exchange's words. */
  readonly why?: string;
}

/** GET /api/messages/journaling?internetMessageId=<...@...> (access "read"). */
export interface MessageJournaling {
  readonly verdict: MessageJournalingVerdict;
  /** The one-sentence answer the pane shows. */
  readonly sentence: string;
  readonly reason?: MessageJournalingReason;
  readonly message?: TracedMessageSummary;
  readonly reports: readonly MessageJournalReport[];
  /** notYetKnown: when to look again, in seconds (the pane polls meanwhile). */
  readonly retryAfterSeconds?: number;
  /** Short lines: what was looked at (trace ids, rule names). */
  readonly evidence: readonly string[];
}

/** POST /api/mailflow-tests body (access "admin"). */
export interface MailFlowTestRequest {
  /** An external address; defaults to the admin's own (see the server's note on internal recipients). */
  readonly recipient?: string;
  /** Region key -> the member (UPN) who sends that region's test message; default the admin. */
  readonly senders?: Readonly<Record<string, string>>;
}

/** POST /api/mailflow-tests answer (202, Location: /api/mailflow-tests/{testId}). */
export interface MailFlowTestStartedResponse {
  readonly testId: string;
}

export type MailFlowRegionState = "sending" | "waiting" | "delivered" | "pending" | "noReport" | "failed" | "timedOut";

export interface MailFlowRegionResult {
  readonly region: string;
  readonly host: string;
  /** The region's journaling address. */
  readonly address: string;
  /** Who sent the test message (UPN). */
  readonly sender: string;
  /** The test message's internetMessageId (null before it is sent). */
  readonly messageId: string | null;
  readonly state: MailFlowRegionState;
  /** Why, in a sentence (pending, noReport, failed, timedOut). */
  readonly reason?: string;
  readonly sentAt?: string;
  readonly reportAt?: string;
  /** Seconds from sending to the report's delivery. */
  readonly seconds?: number;
}

/** GET /api/mailflow-tests/{id}, GET /api/mailflow-tests?latest=1 (access "read"). */
export interface MailFlowTest {
  readonly id: string;
  readonly state: "running" | "passed" | "failed";
  readonly startedBy: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly recipient: string;
  readonly regions: readonly MailFlowRegionResult[];
}
