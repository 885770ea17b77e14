import type { StepProps } from "../../Wizard/Wizard.types";

export interface ServiceAddressStepProps extends StepProps {
  /** Step 3 is done: the draft's regions are the admin's choice, not the default. */
  readonly regionChosen?: boolean;
}

export interface ServiceAddressModel {
  readonly value: string;
  /** The message to show now (after typing or after Next), or null. */
  readonly error: string | null;
  /** The chosen regions' addresses; before step 3, every region's (the address depends on the region). */
  readonly addresses: readonly { readonly regionLabel: string; readonly address: string }[];
  /** False before step 3: the addresses are the possible ones, one per region. */
  readonly regionKnown: boolean;
  readonly help: string;
  readonly onChange: (value: string) => void;
}
