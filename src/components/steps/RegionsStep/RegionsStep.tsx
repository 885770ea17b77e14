import { Checkbox, Field, MessageBar, MessageBarBody, Radio, RadioGroup } from "@fluentui/react-components";
import type React from "react";
import type { JournalingRegion } from "../../../core/profiles/profile";
import { useStepStyles } from "../useStepStyles.styles";
import { RegionGroupEditor } from "./RegionGroupEditor";
import type { RegionsStepProps } from "./RegionsStep.types";
import { useRegionsStep } from "./useRegionsStep";
import { useRegionsStepStyles } from "./useRegionsStepStyles.styles";

/** A region as the service names it: label, id (as in setup files and object names), where mail goes, residency. */
function RegionLabel({ region }: { region: JournalingRegion }): React.JSX.Element {
  const styles = useRegionsStepStyles();
  return (
    <>
      {region.label} <span className={styles.regionId}>{region.id}</span>
      <span className={styles.host}>{region.host}</span>
      <span className={styles.residency}>{region.residency}</span>
    </>
  );
}

/** Step 3: everyone in one region, or one distribution list per region (data residency). */
export function RegionsStep(props: RegionsStepProps): React.JSX.Element {
  const m = useRegionsStep(props);
  const styles = useRegionsStepStyles();
  const step = useStepStyles();
  const { draft } = props;
  return (
    <div className={step.stack}>
      <Field label="Whose mail is journaled">
        <RadioGroup value={draft.scope} onChange={(_, d) => m.setScope(d.value === "regions" ? "regions" : "everyone")}>
          <Radio value="everyone" label="Everyone, processed in one region" />
          <Radio value="regions" label="By region: the members of one distribution list per region (data residency)" />
        </RadioGroup>
      </Field>
      {draft.scope === "everyone" ? (
        <Field label="Region that processes the mail">
          <RadioGroup
            className={styles.grid}
            value={draft.everyoneRegion}
            onChange={(_, d) => m.setEveryoneRegion(d.value)}
          >
            {m.regions.map((r) => (
              <Radio key={r.id} className={styles.choice} value={r.id} label={<RegionLabel region={r} />} />
            ))}
          </RadioGroup>
        </Field>
      ) : (
        <>
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>Regions</legend>
            <div className={styles.grid}>
              {m.regions.map((r) => (
                <Checkbox
                  key={r.id}
                  className={styles.choice}
                  checked={draft.regions.some((d) => d.region === r.id)}
                  onChange={(_, d) => m.toggleRegion(r.id, d.checked === true)}
                  label={<RegionLabel region={r} />}
                />
              ))}
            </div>
          </fieldset>
          {m.generalError ? (
            <MessageBar intent="error">
              <MessageBarBody>{m.generalError}</MessageBarBody>
            </MessageBar>
          ) : null}
          {draft.regions.map((value) => {
            const region = m.regions.find((r) => r.id === value.region);
            return region ? (
              <RegionGroupEditor
                key={value.region}
                region={region}
                value={value}
                onChange={m.changeRegion}
                existingLists={m.existingLists}
                errors={m.errors[value.region] ?? {}}
              />
            ) : null;
          })}
        </>
      )}
    </div>
  );
}
