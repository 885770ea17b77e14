import { Spinner } from "@fluentui/react-components";
import React from "react";
import type { MessageJournalReport } from "../../core/contract/mailflow";
import { ErrorMessage } from "../common/ErrorMessage";
import { useServices } from "../services/ServicesContext";
import type { MailItemSource } from "../../services/host";
import { useMessageJournaling, useSelectedMessage } from "./useMessageJournaling";
import { useMessageJournalingStyles } from "./useMessageJournalingStyles.styles";

export interface MessageJournalingProps {
  /** The Outlook task pane's selected message (host.mailItem). */
  readonly source: MailItemSource;
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** One journal report in words: where it went and what became of it. */
export function reportLine(report: MessageJournalReport): string {
  const where = [report.region, report.host].filter((p): p is string => typeof p === "string").join(", ");
  const to = `${report.address}${where ? ` (${where})` : ""}`;
  switch (report.status) {
    case "Delivered":
      return `${to}: Delivered ${when(report.at)}`;
    case "Pending":
      return `${to}: Pending since ${when(report.pendingSince ?? report.at)}${report.why ? ` (${report.why})` : ""}`;
    case "Failed":
      return `${to}: Failed ${when(report.at)}${report.why ? ` (${report.why})` : ""}`;
  }
}

/**
 * Outlook's message-read view: "Was this message journaled?" for the message the user has open,
 * in one sentence with its evidence, following the selection and polling while message trace has
 * not caught up. Only the message's Internet message id leaves the mailbox.
 */
export default function MessageJournalingCard({ source }: MessageJournalingProps): React.JSX.Element {
  const styles = useMessageJournalingStyles();
  const { backend } = useServices();
  const message = useSelectedMessage(source);
  const state = useMessageJournaling(backend, message?.internetMessageId ?? null);
  const answer = state.answer;

  return (
    <section className={styles.card} aria-labelledby="message-journaling-heading" data-testid="message-journaling">
      <h2 id="message-journaling-heading" className={styles.heading}>
        Was this message journaled?
      </h2>
      {message === null ? (
        <p className={styles.sentence}>Select a message to see whether it was journaled.</p>
      ) : (
        <>
          {message.subject ? <span className={styles.subject}>{message.subject}</span> : null}
          {answer ? (
            <p className={styles.sentence} role="status" aria-live="polite" data-verdict={answer.verdict}>
              {answer.sentence}
            </p>
          ) : state.error ? null : (
            <Spinner size="tiny" label="Looking the message up in message trace" />
          )}
          {answer && answer.reports.length > 0 ? (
            <ul className={styles.list} aria-label="Journal reports">
              {answer.reports.map((r, i) => (
                <li key={`${r.address}-${i}`}>{reportLine(r)}</li>
              ))}
            </ul>
          ) : null}
          {state.nextCheckSeconds !== null ? (
            <span className={styles.evidence}>Checking again in {state.nextCheckSeconds} seconds.</span>
          ) : null}
          {answer && answer.evidence.length > 0 ? (
            <ul className={`${styles.list} ${styles.evidence}`} aria-label="Evidence">
              {answer.evidence.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          ) : null}
          {state.error ? <ErrorMessage error={state.error} onRetry={state.retry} /> : null}
        </>
      )}
    </section>
  );
}
