import { Badge, Button, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar } from "@fluentui/react-components";
import type React from "react";
import type { ConnectorValidation } from "../../../services/backend/types";
import { ErrorMessage } from "../../common/ErrorMessage";
import { describeValidationError } from "../../errors/describeError";
import { useStepStyles } from "../useStepStyles.styles";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

export interface ConnectorValidationSectionProps {
  readonly validation: ConnectorValidation | null;
  readonly validating: boolean;
  readonly error: unknown;
  /** The setup has an outbound connector (without one, journal reports go straight to the service by MX). */
  readonly hasConnector: boolean;
  readonly onValidate: () => void;
}

function when(v: ConnectorValidation): string {
  const at = v.finishedAt ?? v.startedAt;
  const time = at ? new Date(at).toLocaleString() : "";
  if (!time) return "";
  return v.requestedBy ? ` (${time}, by ${v.requestedBy})` : ` (${time})`;
}

function Outcome({ validation }: { validation: ConnectorValidation }): React.JSX.Element {
  const step = useStepStyles();
  const styles = useStatusStepStyles();
  if (validation.state === "failed" && validation.results.length === 0) {
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>The validation could not finish</MessageBarTitle>
          The backend stopped before Exchange answered{when(validation)}. <strong>Next:</strong> Validate again; if it
          keeps failing, check the connector in the Exchange admin center.
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <ul className={step.list} aria-label="Validation results">
      {validation.results.map((r) => {
        const why = r.ok ? null : describeValidationError(r.error?.code ?? "", r.error?.message ?? "", r.host);
        // No evidence either way is not a failure of the connector: say so, in amber.
        const unconfirmed = r.error?.code === "validation_unconfirmed";
        return (
          <li key={r.host}>
            <Badge
              appearance="tint"
              color={r.ok ? "success" : unconfirmed ? "warning" : "danger"}
              className={styles.badge}
            >
              {r.ok ? "Passed" : unconfirmed ? "Not confirmed" : "Failed"}
            </Badge>{" "}
            <span className={step.mono}>{r.host}</span>
            {r.connector ? ` through "${r.connector}"` : ""}
            {when(validation)}
            {why ? (
              <p className={step.note}>
                {why.detail} <strong>Next:</strong> {why.next}
              </p>
            ) : r.recipient ? (
              <p className={step.note}>Exchange delivered a test message to {r.recipient}.</p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** "Validate connector": Exchange sends a test message through the connector (10–20 s), so it shows progress. */
export function ConnectorValidationSection(props: ConnectorValidationSectionProps): React.JSX.Element {
  const step = useStepStyles();
  const { validation, validating } = props;
  return (
    <section className={step.stack} aria-labelledby="validation-heading">
      <h3 id="validation-heading" className={step.note}>
        Connector validation
      </h3>
      {validating ? (
        <ProgressBar aria-label="Validating the connector" aria-describedby="validation-progress-text" />
      ) : null}
      <div aria-live="polite">
        {validating ? (
          <p id="validation-progress-text" className={step.note}>
            Exchange is sending a test message through the connector; this usually takes 10 to 20 seconds.
          </p>
        ) : !props.hasConnector ? (
          <p className={step.note}>
            This setup has no outbound connector: journal reports go straight to the service, so there is nothing to
            validate.
          </p>
        ) : validation ? (
          <Outcome validation={validation} />
        ) : (
          <p className={step.note}>
            Not validated yet. Validating sends a test message through the connector, as the Exchange admin center does.
          </p>
        )}
      </div>
      {props.error ? <ErrorMessage error={props.error} /> : null}
      {props.hasConnector ? (
        <div className={step.row}>
          <Button onClick={props.onValidate} disabled={validating}>
            Validate connector
          </Button>
        </div>
      ) : null}
    </section>
  );
}
