import React, { useCallback, useState } from "react";
import type { StepId } from "../../services/backend/types";
import Manage from "./Manage";

const Wizard = React.lazy(() => import(/* webpackChunkName: "wizard" */ "../Wizard/Wizard"));

/**
 * The Setup view for admins: the Manage area (once a setup exists) above the guided setup. While a
 * pause, resume or removal is under review or running, the wizard steps aside (one plan on screen at
 * a time); afterwards it is loaded again, so its Status shows the tenant as it now is.
 */
export default function ManagedSetup(): React.JSX.Element {
  const [busy, setBusy] = useState(false);
  const [wizard, setWizard] = useState<{ generation: number; startAt?: StepId }>({ generation: 0 });
  const changeSetup = useCallback(() => setWizard((w) => ({ generation: w.generation + 1, startAt: "where" })), []);
  const changed = useCallback(() => setWizard((w) => ({ generation: w.generation + 1 })), []);
  // The first setup applied from the wizard: the Manage area reads the tenant again and appears.
  const [manageGeneration, setManageGeneration] = useState(0);
  const wizardApplied = useCallback(() => setManageGeneration((g) => g + 1), []);
  return (
    <>
      <Manage key={manageGeneration} onChangeSetup={changeSetup} onBusyChange={setBusy} onChanged={changed} />
      {busy ? null : (
        <Wizard
          key={wizard.generation}
          onApplied={wizardApplied}
          {...(wizard.startAt ? { startAt: wizard.startAt } : {})}
        />
      )}
    </>
  );
}
