import { Badge, Button } from "@fluentui/react-components";
import type React from "react";
import { ErrorMessage } from "../common/ErrorMessage";
import { StepSkeleton } from "../common/StepSkeleton";
import { journalingAddresses } from "../setup/draft";
import { useServices } from "../services/ServicesContext";
import { STEPS } from "../Wizard/Wizard.types";
import { useProgressView } from "./useProgressView";
import { useProgressViewStyles } from "./useProgressViewStyles.styles";

/** Where the tenant's setup stands and who did what: what a colleague sees from a shared link. */
export default function ProgressView(): React.JSX.Element {
  const m = useProgressView();
  const { profile } = useServices();
  const styles = useProgressViewStyles();
  if (m.loading && !m.progress) return <StepSkeleton label="Loading the shared progress" rows={6} />;
  if (m.error || !m.progress) return <ErrorMessage error={m.error} onRetry={m.reload} />;
  const { progress, draft } = m;
  const done = STEPS.filter((s) => progress.steps[s.id] === "done").length;
  return (
    <section className={styles.card} aria-labelledby="progress-heading">
      <h2 id="progress-heading" className={styles.heading}>
        Setup progress
      </h2>
      <p>
        {done} of {STEPS.length} steps done
        {progress.updatedBy ? (
          <>
            {" "}
            · last change by <strong>{progress.updatedBy}</strong>
            {progress.updatedAt ? ` at ${new Date(progress.updatedAt).toLocaleString()}` : ""}
          </>
        ) : null}
      </p>
      <ol className={styles.steps} aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s.id}>
            <Badge appearance="tint" color={progress.steps[s.id] === "done" ? "success" : "subtle"}>
              {progress.steps[s.id] === "done" ? "Done" : "To do"}
            </Badge>{" "}
            {i + 1}. {s.title}
          </li>
        ))}
      </ol>
      {draft && draft.customer !== "" ? (
        <>
          <h3 className={styles.subheading}>Choices so far</h3>
          <dl className={styles.dl}>
            <dt>Customer name</dt>
            <dd className={styles.dd}>{draft.customer}</dd>
            <dt>Journaling</dt>
            <dd className={styles.dd}>
              {journalingAddresses(draft, profile)
                .map((a) => `${a.region.label}: ${a.address}`)
                .join("; ")}
            </dd>
            <dt>Undeliverable reports</dt>
            <dd className={styles.dd}>{draft.ndrMailbox || "not chosen yet"}</dd>
          </dl>
        </>
      ) : null}
      <h3 className={styles.subheading}>Who did what</h3>
      {progress.history.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ol className={styles.history} aria-label="History">
          {[...progress.history]
            .reverse()
            .slice(0, 20)
            .map((h, i) => (
              <li key={`${h.at}-${i}`}>
                {new Date(h.at).toLocaleString()}: <strong>{h.by}</strong> {h.what}
              </li>
            ))}
        </ol>
      )}
      <div>
        <Button onClick={m.copyLink}>{m.copied ? "Link copied" : "Copy link"}</Button>{" "}
        <Button appearance="subtle" onClick={m.reload}>
          Refresh
        </Button>
        <span aria-live="polite"> {m.copied ? "The link to this view is on the clipboard." : ""}</span>
      </div>
      {m.copyError ? <ErrorMessage error={m.copyError} /> : null}
    </section>
  );
}
