import { Field, Input } from "@fluentui/react-components";
import type React from "react";
import { useStepStyles } from "../useStepStyles.styles";
import type { ServiceAddressStepProps } from "./ServiceAddressStep.types";
import { useServiceAddressStep } from "./useServiceAddressStep";
import { useServiceAddressStepStyles } from "./useServiceAddressStepStyles.styles";

/** Step 2: the customer name, checked as you type, and the journaling address it gives. */
export function ServiceAddressStep(props: ServiceAddressStepProps): React.JSX.Element {
  const m = useServiceAddressStep(props);
  const styles = useServiceAddressStepStyles();
  const step = useStepStyles();
  return (
    <div className={step.stack}>
      <Field
        label="Customer name"
        required
        hint={m.help}
        validationState={m.error ? "error" : "none"}
        validationMessage={m.error ?? undefined}
      >
        <Input
          className={styles.input}
          value={m.value}
          onChange={(_, data) => m.onChange(data.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="for example contoso"
        />
      </Field>
      <div className={styles.result} aria-live="polite">
        {m.addresses.length > 0 ? (
          <>
            <div>
              {m.regionKnown
                ? "Journal reports will go to:"
                : "The address depends on the region you choose in step 3. For each region it is:"}
            </div>
            <ul className={step.list}>
              {m.addresses.map((a) => (
                <li key={a.address}>
                  <span className={step.mono}>{a.address}</span> <span className={step.note}>({a.regionLabel})</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <span className={step.note}>The journaling address appears here once the name is valid.</span>
        )}
      </div>
    </div>
  );
}
