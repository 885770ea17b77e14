import { Badge, Button, Field, Input, ProgressBar, Select } from "@fluentui/react-components";
import type React from "react";
import type { MailFlowRegionResult, MailFlowTest } from "../../../core/contract/mailflow";
import { ErrorMessage } from "../../common/ErrorMessage";
import { useStepStyles } from "../useStepStyles.styles";
import { useMailFlowTest } from "./useMailFlowTest";
import { useStatusStepStyles } from "./useStatusStepStyles.styles";

const STATE: Record<
  MailFlowRegionResult["state"],
  { text: string; color: "success" | "warning" | "danger" | "informative" }
> = {
  sending: { text: "Sending", color: "informative" },
  waiting: { text: "Waiting", color: "informative" },
  delivered: { text: "Delivered", color: "success" },
  pending: { text: "Pending", color: "warning" },
  noReport: { text: "No report", color: "danger" },
  failed: { text: "Failed", color: "danger" },
  timedOut: { text: "Timed out", color: "warning" },
};

function Results({ test }: { test: MailFlowTest }): React.JSX.Element {
  const step = useStepStyles();
  const styles = useStatusStepStyles();
  const when = new Date(test.finishedAt ?? test.startedAt).toLocaleString();
  return (
    <>
      <p className={step.note}>
        {test.state === "running"
          ? `Test messages sent to ${test.recipient}; following message trace…`
          : `${test.state === "passed" ? "Passed" : "Failed"}: test messages to ${test.recipient} (${when}, by ${test.startedBy}).`}
      </p>
      <ul className={step.list} aria-label="Mail-flow test results">
        {test.regions.map((r) => (
          <li key={r.region}>
            <Badge appearance="tint" color={STATE[r.state].color} className={styles.badge}>
              {STATE[r.state].text}
            </Badge>{" "}
            <strong>{r.region}</strong>: from {r.sender || "nobody"} to <span className={step.mono}>{r.address}</span>
            {r.state === "delivered" && r.seconds !== undefined
              ? `, journal report delivered to ${r.host} in ${r.seconds} s`
              : ""}
            {r.reason ? <p className={step.note}>{r.reason}</p> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** "Send a test message": real mail per region, followed in message trace until its journal report is delivered. */
export function MailFlowTestSection(): React.JSX.Element {
  const step = useStepStyles();
  const m = useMailFlowTest(true);
  return (
    <section className={step.stack} aria-labelledby="mailflow-heading">
      <h3 id="mailflow-heading" className={step.note}>
        Send a test message
      </h3>
      <p className={step.note}>
        For each region, a member of its list sends a message to an external address; the test then follows message
        trace until the journal report reaches that region&apos;s journaling host.
      </p>
      {m.running ? <ProgressBar aria-label="Mail-flow test running" /> : null}
      <div aria-live="polite">{m.test ? <Results test={m.test} /> : null}</div>
      {m.error ? <ErrorMessage error={m.error} /> : null}
      {m.canSend ? (
        <div className={step.row}>
          <Field
            label="External recipient"
            hint="An address outside your organization that you can read (an internal one would not be journaled by the External rules)."
          >
            <Input
              type="email"
              value={m.recipient}
              onChange={(_e, d) => m.setRecipient(d.value)}
              placeholder="you@example.com"
            />
          </Field>
          {m.choices.map((c) => (
            <Field key={c.region} label={`Sender for ${c.region}`} hint="A member of that region's list.">
              <Select value={m.senders[c.region] ?? ""} onChange={(_e, d) => m.setSender(c.region, d.value)}>
                <option value="">You if you are in the list, else its first member</option>
                {c.members.map((upn) => (
                  <option key={upn} value={upn}>
                    {upn}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
          <Button onClick={m.send} disabled={m.running}>
            Send a test message
          </Button>
        </div>
      ) : null}
    </section>
  );
}
