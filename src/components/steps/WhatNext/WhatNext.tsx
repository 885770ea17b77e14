import { Link, makeStyles, tokens } from "@fluentui/react-components";
import type React from "react";
import { ShareActions } from "../../common/ShareActions";
import { useShareLink } from "../../common/useShareLink";
import { useServices } from "../../services/ServicesContext";
import { useStepStyles } from "../useStepStyles.styles";

const useWhatNextStyles = makeStyles({
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column" },
  item: { paddingBlock: tokens.spacingVerticalXS, overflowWrap: "anywhere" },
  actions: { marginBlockStart: tokens.spacingVerticalXS },
});

export interface WhatNextProps {
  /** Where the 24-hour chart is: on this page (Status), or one step on (Apply offers the way there). */
  readonly chart: "above" | "on-status";
}

/**
 * After a finished apply: how to see reports arrive at the service, how to test the mail flow
 * until the pane can, and how the team hears of it (nobody is told automatically).
 */
export function WhatNext({ chart }: WhatNextProps): React.JSX.Element {
  const { profile } = useServices();
  const share = useShareLink();
  const step = useStepStyles();
  const styles = useWhatNextStyles();
  const portal = profile.portal;
  return (
    <section aria-labelledby="what-next-heading" className={step.stack}>
      <h3 id="what-next-heading" className={step.note}>
        What next
      </h3>
      <ol className={styles.list}>
        <li className={styles.item}>
          <strong>Confirm that journal reports reach {profile.vendor}.</strong>{" "}
          {portal ? (
            <>
              In the{" "}
              <Link href={portal.url} target="_blank" rel="noopener noreferrer">
                {portal.name}
              </Link>
              , {portal.confirm}
            </>
          ) : (
            <>In the service's portal, check that it counts messages processed.</>
          )}
        </li>
        <li className={styles.item}>
          <strong>Test the mail flow.</strong> Send a test message{" "}
          {chart === "above" ? "above" : "from the Status step"}: for each region, a member of its list sends a message
          out and the test follows it in message trace until its journal report reaches the service.{" "}
          {chart === "above" ? "The chart above" : "The chart on the Status step"} counts the journal reports Exchange
          delivered and failed in the last 24 hours.
        </li>
        <li className={styles.item}>
          <strong>Tell your team.</strong> Nobody is told automatically until an admin turns on Keep watching (under
          Manage journaling): then the people you choose get a Teams alert when journaling breaks. The shared progress
          shows what was set up and who did it: share its link, or add this app as a tab in your IT team's Teams
          channel.
          <div className={styles.actions}>
            <ShareActions
              share={share}
              copiedText="The link to the shared progress is on the clipboard."
              fieldLabel="Link to the shared progress"
            />
          </div>
        </li>
      </ol>
    </section>
  );
}
