import type { StepProps } from "../../Wizard/Wizard.types";

export type ServiceAddressStepProps = StepProps;

export interface ServiceAddressModel {
  readonly value: string;
  /** The message to show now (after typing or after Next), or null. */
  readonly error: string | null;
  readonly addresses: readonly { readonly regionLabel: string; readonly address: string }[];
  readonly help: string;
  readonly onChange: (value: string) => void;
}
