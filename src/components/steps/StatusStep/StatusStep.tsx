import { Badge, Button, MessageBar, MessageBarBody, MessageBarTitle, mergeClasses } from "@fluentui/react-components";
import type React from "react";
import type { ResourceStatus } from "../../../core/plan/types";
import { pausedSummary } from "../../../core/resources/journalRule/pause";
import { ErrorMessage } from "../../common/ErrorMessage";
import { StepSkeleton } from "../../common/StepSkeleton";
import { useStepStyles } from "../useStepStyles.styles";
import { WhatNext } from "../WhatNext/WhatNext";
import { ConnectorValidationSection } from "./ConnectorValidationSection";
import { DeliveryFindingsSection } from "./DeliveryFindingsSection";
import { LastCheckSection } from "./LastCheckSection";
import { MailFlowTestSection } from "./MailFlowTestSection";
import { MessageTraceSection } from "./MessageTraceSection";
import { StatusFreshness } from "./StatusFreshness";
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
  paused: { text: "Paused", color: "informative" },
};

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "(empty)" : value.map(show).join(", ");
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function ResourceTable({ resources }: { resources: readonly ResourceStatus[] }): React.JSX.Element {
  const styles = useStatusStepStyles();
  const step = useStepStyles();
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className={step.note} style={{ textAlign: "start" }}>
          Parts of the setup
        </caption>
        <thead>
          <tr>
            <th scope="col" className={mergeClasses(styles.cell, styles.stateCell)}>
              State
            </th>
            <th scope="col" className={styles.cell}>
              Part
            </th>
          </tr>
        </thead>
        <tbody>
          {resources.map((r) => (
            <tr key={`${r.kind}:${r.key}`}>
              <td className={mergeClasses(styles.cell, styles.stateCell)}>
                <Badge appearance="tint" color={STATE[r.state].color} className={styles.badge}>
                  {STATE[r.state].text}
                </Badge>
              </td>
              <td className={styles.cell}>
                {/* The core's labels already name the kind ("Distribution list …", "Journal rule for …"). */}
                <div>{r.label}</div>
                {r.drift.length > 0 ? (
                  <ul className={styles.drift} aria-label={`What differs in ${r.label}`}>
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
  );
}

/** Step 7: each part of the setup verified, the connector test, and the last 24 h of journal reports. */
export default function StatusStep({ onChangeSetup, whatNext = true }: StatusStepProps): React.JSX.Element {
  const m = useStatusStep();
  const step = useStepStyles();
  if (m.loading && !m.status) return <StepSkeleton label="Checking the setup" rows={6} />;
  if (!m.status) return <ErrorMessage error={m.error} onRetry={m.checkAgain} retryLabel="Check again" />;
  const { status } = m;
  // A paused rule is as the (paused) setup wants it: not a problem.
  const problems = status.resources.filter((r) => r.state !== "ok" && r.state !== "paused");
  const hasConnector = status.resources.some((r) => r.kind === "outboundConnector");
  let summary: React.JSX.Element;
  if (!m.hasSetup) {
    summary = (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Nothing is set up yet</MessageBarTitle>
          No setup has been applied to this tenant, so there is nothing to check. <strong>Next:</strong> choose Change
          the setup, then review and apply it.
        </MessageBarBody>
      </MessageBar>
    );
  } else if (m.allOk) {
    summary = (
      <MessageBar intent="success">
        <MessageBarBody>
          <MessageBarTitle>Everything is set up</MessageBarTitle>
          Every part matches the setup (checked {new Date(status.checkedAt).toLocaleTimeString()}).
        </MessageBarBody>
      </MessageBar>
    );
  } else {
    summary = (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>
            {problems.length} part{problems.length === 1 ? " needs" : "s need"} attention
          </MessageBarTitle>
          Checked {new Date(status.checkedAt).toLocaleTimeString()}. <strong>Next:</strong> review and apply the plan
          again to fix them; it only changes what differs.
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    // Check again keeps the last result on screen (no skeleton, no jump) and marks it busy meanwhile.
    <div className={step.stack} aria-busy={m.loading}>
      <StatusFreshness status={status} source={m.source} checking={m.loading} />
      {status.sinceLastCheck ? <LastCheckSection interval={status.sinceLastCheck} /> : null}
      {m.error ? <ErrorMessage error={m.error} onRetry={m.checkAgain} retryLabel="Check again" /> : null}
      {summary}
      {status.setupState === "paused" ? (
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>Journaling is paused</MessageBarTitle>
            {status.paused
              ? `${pausedSummary({ since: new Date(status.paused.since).toLocaleString(), by: status.paused.by })}.`
              : "Paused."}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {m.hasSetup ? <DeliveryFindingsSection findings={status.findings ?? []} /> : null}
      {status.resources.length > 0 ? <ResourceTable resources={status.resources} /> : null}
      {m.hasSetup ? (
        <>
          <ConnectorValidationSection
            validation={m.validation}
            validating={m.validating}
            error={m.validationError}
            hasConnector={hasConnector}
            onValidate={m.validate}
          />
          <MessageTraceSection trace={status.messageTrace} hasConnector={hasConnector} />
          <MailFlowTestSection />
        </>
      ) : null}
      {m.hasSetup && whatNext ? <WhatNext chart="above" /> : null}
      <div className={step.row}>
        {/* disabledFocusable: a keyboard user who pressed it keeps focus on it while it checks. */}
        <Button appearance="primary" onClick={m.checkAgain} disabledFocusable={m.loading}>
          Check again
        </Button>
        <Button onClick={onChangeSetup}>Change the setup</Button>
      </div>
    </div>
  );
}
