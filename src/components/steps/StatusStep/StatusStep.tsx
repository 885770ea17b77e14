import { Badge, Button, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar } from "@fluentui/react-components";
import type React from "react";
import type { ResourceStatus } from "../../../core/plan/types";
import { ErrorMessage } from "../../common/ErrorMessage";
import { StepSkeleton } from "../../common/StepSkeleton";
import { useStepStyles } from "../useStepStyles.styles";
import { DeliveryChart } from "./DeliveryChart";
import type { StatusStepProps } from "./StatusStep.types";
import { useStatusStep } from "./useStatusStep";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

const STATE: Record<
  ResourceStatus["state"],
  { text: string; color: "success" | "warning" | "danger" | "informative" }
> = {
  ok: { text: "OK", color: "success" },
  drifted: { text: "Drifted", color: "warning" },
  missing: { text: "Missing", color: "danger" },
  unwanted: { text: "To remove", color: "informative" },
};

const KIND: Record<ResourceStatus["kind"], string> = {
  transportConfig: "Undeliverable reports address",
  outboundConnector: "Outbound connector",
  distributionGroup: "Distribution list",
  journalRule: "Journal rule",
};

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Step 7: each part of the setup verified, the connector test, and the last 24 h of journal reports. */
export default function StatusStep({ onChangeSetup }: StatusStepProps): React.JSX.Element {
  const m = useStatusStep();
  const styles = useStatusStepStyles();
  const step = useStepStyles();
  if (m.loading && !m.status) return <StepSkeleton label="Checking the setup" rows={6} />;
  if (m.error || !m.status) return <ErrorMessage error={m.error} onRetry={m.checkAgain} retryLabel="Check again" />;
  const { status } = m;
  const problems = status.resources.filter((r) => r.state !== "ok");
  return (
    <div className={step.stack}>
      {m.allOk ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Everything is set up</MessageBarTitle>
            Every part matches the setup (checked {new Date(status.checkedAt).toLocaleTimeString()}).
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {problems.length} part{problems.length === 1 ? " needs" : "s need"} attention
            </MessageBarTitle>
            Review and apply the plan again to fix them; it only changes what differs.
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption className={step.note} style={{ textAlign: "start" }}>
            Parts of the setup
          </caption>
          <thead>
            <tr>
              <th scope="col" className={styles.cell}>
                State
              </th>
              <th scope="col" className={styles.cell}>
                Part
              </th>
            </tr>
          </thead>
          <tbody>
            {status.resources.map((r) => (
              <tr key={`${r.kind}:${r.key}`}>
                <td className={styles.cell}>
                  <Badge appearance="tint" color={STATE[r.state].color}>
                    {STATE[r.state].text}
                  </Badge>
                </td>
                <td className={styles.cell}>
                  <div>
                    {KIND[r.kind]}: {r.label}
                  </div>
                  {r.drift.length > 0 ? (
                    <ul className={styles.drift}>
                      {r.drift.map((d) => (
                        <li key={d.property}>
                          {d.property}: is {show(d.actual)}, should be {show(d.desired)}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className={step.stack} aria-labelledby="validation-heading">
        <h3 id="validation-heading" className={step.note}>
          Connector validation
        </h3>
        {m.validating ? <ProgressBar aria-label="Validating the connector" /> : null}
        <div aria-live="polite">
          {m.validating
            ? "Sending a test message through the connector; this can take a minute…"
            : m.validation
              ? m.validation.results.map((v) => (
                  <div key={v.host}>
                    <Badge appearance="tint" color={v.ok ? "success" : "danger"}>
                      {v.ok ? "Passed" : "Failed"}
                    </Badge>{" "}
                    <span className={step.mono}>{v.host}</span>
                    {v.error ? `: ${v.error}` : ""}
                  </div>
                ))
              : "Not validated yet."}
        </div>
        {m.validationError ? <ErrorMessage error={m.validationError} /> : null}
        <div className={step.row}>
          <Button onClick={m.validate} disabled={m.validating}>
            Validate connector
          </Button>
        </div>
      </section>
      <section className={step.stack} aria-labelledby="trace-heading">
        <h3 id="trace-heading" className={step.note}>
          Journal reports, last 24 hours
        </h3>
        {status.messageTrace.perAddress.length === 0 ? (
          <p className={step.note}>No journal reports yet. Exchange's message trace lags by up to an hour.</p>
        ) : (
          status.messageTrace.perAddress.map((a) => (
            <div key={a.address} className={styles.chartRow}>
              <span className={step.mono}>{a.address}</span>
              <DeliveryChart address={a.address} hourly={a.hourly} />
              <span className={styles.legend}>
                <span className={styles.delivered}>{a.delivered} delivered</span>
                <span className={styles.failed}>{a.failed} failed</span>
              </span>
            </div>
          ))
        )}
        <p className={step.note}>Message trace as of {new Date(status.messageTrace.asOf).toLocaleTimeString()}.</p>
      </section>
      <div className={step.row}>
        <Button appearance="primary" onClick={m.checkAgain} disabled={m.loading}>
          Check again
        </Button>
        <Button onClick={onChangeSetup}>Change the setup</Button>
      </div>
    </div>
  );
}
