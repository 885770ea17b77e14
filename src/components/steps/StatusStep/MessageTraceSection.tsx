import { MessageBar, MessageBarBody, mergeClasses } from "@fluentui/react-components";
import type React from "react";
import type { StatusResponse } from "../../../services/backend/types";
import { describeAge } from "../../common/describeAge";
import { useStepStyles } from "../useStepStyles.styles";
import { DeliveryChart, TRACE_DELAY } from "./DeliveryChart";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

const SOURCE: Record<NonNullable<StatusResponse["messageTrace"]["source"]>, string> = {
  graph: "Microsoft Graph message trace",
  exchange: "Exchange Online message trace (Get-MessageTraceV2)",
};

/**
 * Journal reports delivered / failed / still queued over the last 24 h per journaling address, where
 * the numbers come from, and how fresh they are.
 */
export function MessageTraceSection({
  trace,
  hasConnector,
}: {
  trace: StatusResponse["messageTrace"];
  hasConnector: boolean;
}): React.JSX.Element {
  const step = useStepStyles();
  const styles = useStatusStepStyles();
  const failed = trace.perAddress.reduce((n, a) => n + a.failed, 0);
  const anyReports = trace.perAddress.some((a) => a.delivered + a.failed + (a.pending ?? 0) > 0);
  return (
    <section className={step.stack} aria-labelledby="trace-heading">
      <h3 id="trace-heading" className={step.note}>
        Journal reports, last 24 hours
      </h3>
      {trace.stale ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {trace.stale.message} <strong>Next:</strong> choose Check again in a few minutes for fresh numbers.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {trace.perAddress.length === 0 ? (
        <p className={step.note}>No journaling address to trace yet.</p>
      ) : (
        trace.perAddress.map((a) => (
          <div key={a.address} className={styles.chartRow}>
            <span className={step.mono}>{a.address}</span>
            <DeliveryChart address={a.address} delivered={a.delivered} failed={a.failed} hourly={a.hourly} />
            {(a.pending ?? 0) > 0 ? (
              <span className={mergeClasses(step.note, styles.wrapAnywhere)}>
                {a.pending} queued (Pending)
                {a.queuedSince ? ` since ${new Date(a.queuedSince).toLocaleString()}` : ""}: Exchange is still retrying
                them.
              </span>
            ) : null}
          </div>
        ))
      )}
      {failed > 0 ? (
        <p className={step.note}>
          Each failed report comes back to the undeliverable-reports mailbox with the reason. <strong>Next:</strong>{" "}
          {hasConnector
            ? "validate the connector above; a failed validation says what to fix."
            : "read the reason in one of those reports and fix the delivery to the journaling address."}
        </p>
      ) : null}
      <p className={mergeClasses(step.note, styles.wrapAnywhere)}>
        Numbers from {SOURCE[trace.source ?? "exchange"]}.{trace.sourceNote ? ` ${trace.sourceNote}` : ""}
      </p>
      <p className={step.note}>
        Message trace as of {new Date(trace.asOf).toLocaleTimeString()} ({describeAge(trace.ageSeconds)}).
        {anyReports ? ` ${TRACE_DELAY}, and the` : " The"} numbers are refreshed at most every few minutes.
      </p>
    </section>
  );
}
