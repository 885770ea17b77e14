import { useState } from "react";
import { journalingAddresses, validateCustomer } from "../../setup/draft";
import { useServices } from "../../services/ServicesContext";
import type { ServiceAddressModel, ServiceAddressStepProps } from "./ServiceAddressStep.types";

export function useServiceAddressStep({ draft, update, showErrors }: ServiceAddressStepProps): ServiceAddressModel {
  const { profile } = useServices();
  const [touched, setTouched] = useState(draft.customer !== "");
  const error = validateCustomer(draft.customer);
  return {
    value: draft.customer,
    // Validated as you type, but "enter a name" only once there was something to check.
    error: touched || showErrors ? error : null,
    addresses:
      error === null
        ? journalingAddresses(draft, profile).map((a) => ({ regionLabel: a.region.label, address: a.address }))
        : [],
    help: profile.customerNameHelp,
    onChange(value: string) {
      setTouched(true);
      update({ customer: value });
    },
  };
}
