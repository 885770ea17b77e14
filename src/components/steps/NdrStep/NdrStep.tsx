import { Button, MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type React from "react";
import { PeoplePicker } from "../../PeoplePicker/PeoplePicker";
import { useStepStyles } from "../useStepStyles.styles";
import type { NdrStepProps } from "./NdrStep.types";
import { useNdrStep } from "./useNdrStep";
import { useNdrStepStyles } from "./useNdrStepStyles.styles";

export const GROUP_REFUSAL = "Exchange sends these reports to a single mailbox and refuses groups";

/** Step 4: the mailbox for undeliverable journal reports: a user account, never a group. */
export function NdrStep(props: NdrStepProps): React.JSX.Element {
  const m = useNdrStep(props);
  const styles = useNdrStepStyles();
  const step = useStepStyles();
  return (
    <div className={step.stack}>
      <p className={styles.advice}>
        When Exchange can&apos;t deliver a journal report to the service, it sends the report (with the original
        message) to this address. It must be a user account: Exchange refuses groups here. Microsoft advises a dedicated
        mailbox that nobody uses for anything else, because the reports contain other people&apos;s mail.
      </p>
      {m.current || m.suggestions.length > 0 ? (
        <div className={step.row} aria-label="Suggested mailboxes" role="group">
          {m.current ? (
            <Button onClick={() => m.choose(m.current!)} aria-label={`Keep the current address ${m.current}`}>
              Keep {m.current}
            </Button>
          ) : null}
          {m.suggestions
            .filter((p) => p.mail.toLowerCase() !== m.current?.toLowerCase())
            .map((p) => (
              <Button key={p.id} onClick={() => m.choose(p.mail)} aria-label={`Use ${p.displayName} (${p.mail})`}>
                Use {p.displayName} ({p.mail})
              </Button>
            ))}
        </div>
      ) : null}
      <PeoplePicker
        label="Mailbox for undeliverable journal reports"
        value={m.value}
        onValueChange={m.onChange}
        onPick={(p) => m.choose(p.mail)}
        groupsRefusedBecause={GROUP_REFUSAL}
        onGroupsFound={(groups) => props.onGroupsFound(groups.map((g) => ({ name: g.displayName, address: g.mail })))}
        validationState={m.error ? "error" : "none"}
        validationMessage={m.error ?? undefined}
      />
      {m.planProblems.map((p) => (
        <MessageBar key={p} intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>This setup can&apos;t be applied</MessageBarTitle>
            {p}
          </MessageBarBody>
        </MessageBar>
      ))}
      {m.warnings.length > 0 ? (
        <section className={styles.warnings} aria-labelledby="ndr-warnings">
          <h3 id="ndr-warnings" className={step.note}>
            Before you continue
          </h3>
          {m.warnings.map((w) => (
            <MessageBar key={w.code} intent="warning" layout="multiline">
              <MessageBarBody>{w.message}</MessageBarBody>
            </MessageBar>
          ))}
        </section>
      ) : null}
    </div>
  );
}
