import { Badge, Button } from "@fluentui/react-components";
import type React from "react";
import type { StepId } from "../../services/backend/types";
import { ErrorMessage } from "../common/ErrorMessage";
import { ShareActions } from "../common/ShareActions";
import { StepSkeleton } from "../common/StepSkeleton";
import { journalingAddresses } from "../setup/draft";
import { useServices } from "../services/ServicesContext";
import { STEPS } from "../Wizard/Wizard.types";
import { UndoRun } from "../Undo/UndoRun";
import { EarlierRuns } from "./EarlierRuns";
import { ExchangeChanges } from "./ExchangeChanges";
import { HealthLine } from "./HealthLine";
import { useProgressView } from "./useProgressView";
import { useProgressViewStyles } from "./useProgressViewStyles.styles";

/** Where the tenant's setup stands, whether it is healthy, and who did what: what a colleague sees from a shared link. */
export default function ProgressView(): React.JSX.Element {
  const m = useProgressView();
  const { profile } = useServices();
  const styles = useProgressViewStyles();
  if (m.loading && !m.progress) return <StepSkeleton label="Loading the shared progress" rows={6} />;
  if (!m.progress) return <ErrorMessage error={m.error} onRetry={m.reload} />;
  const { progress, draft } = m;
  // Status is never marked done (it is where a finished setup stays): once applied, it counts as done.
  const applied = progress.steps.apply === "done";
  const isDone = (id: StepId): boolean => progress.steps[id] === "done" || (id === "status" && applied);
  const done = STEPS.filter((s) => isDone(s.id)).length;
  const nextStep = STEPS.find((s) => !isDone(s.id));
  // Until step 3 is done the draft's region is only the default: no address is the admin's choice yet.
  const regionChosen = progress.steps.where === "done";
  return (
    <section className={styles.card} aria-labelledby="progress-heading" aria-busy={m.loading}>
      <h2 id="progress-heading" className={styles.heading}>
        Setup progress
      </h2>
      {/* A failed refresh keeps the last progress on screen, with what to do. */}
      {m.error ? <ErrorMessage error={m.error} onRetry={m.reload} /> : null}
      <p>
        {applied && m.health.status?.setupState === "removed" ? (
          // The steps were done once; what counts now is that the setup was taken out again.
          <strong>Journaling was removed. To set it up again, go through the steps and apply them.</strong>
        ) : applied ? (
          <strong>The setup is applied.</strong>
        ) : nextStep ? (
          <>
            Next: <strong>{nextStep.title}</strong>.
          </>
        ) : null}{" "}
        {done} of {STEPS.length} steps done
        {progress.updatedBy ? (
          <>
            {" "}
            · last change by <strong>{progress.updatedBy}</strong>
            {progress.updatedAt ? ` at ${new Date(progress.updatedAt).toLocaleString()}` : ""}
          </>
        ) : null}
      </p>
      <HealthLine health={m.health} />
      <ol className={styles.steps} aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s.id}>
            <Badge appearance="tint" color={isDone(s.id) ? "success" : "subtle"} className={styles.badge}>
              {isDone(s.id) ? "Done" : "To do"}
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
              {regionChosen
                ? journalingAddresses(draft, profile)
                    .map((a) => `${a.region.label}: ${a.address}`)
                    .join("; ")
                : "not chosen yet: the address depends on the region chosen in step 3"}
            </dd>
            <dt>Undeliverable reports</dt>
            <dd className={styles.dd}>{draft.ndrMailbox || "not chosen yet"}</dd>
          </dl>
        </>
      ) : null}
      <ExchangeChanges changes={m.changes} error={m.changesError} />
      {m.changes?.[0]?.runId ? <UndoRun runId={m.changes[0].runId} onFinished={m.reload} /> : null}
      <EarlierRuns runs={m.earlierRuns} onChanged={m.reload} />
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
      <ShareActions
        share={m.share}
        copiedText="The link to this view is on the clipboard."
        fieldLabel="Link to this view"
      >
        <Button appearance="subtle" onClick={m.reload}>
          Refresh
        </Button>
      </ShareActions>
    </section>
  );
}
