import { useState } from "react";
import { journalingAddress } from "../../../core/profiles/profile";
import { journalingAddresses, validateCustomer } from "../../setup/draft";
import { useServices } from "../../services/ServicesContext";
import type { ServiceAddressModel, ServiceAddressStepProps } from "./ServiceAddressStep.types";

export function useServiceAddressStep({
  draft,
  update,
  showErrors,
  regionChosen = false,
}: ServiceAddressStepProps): ServiceAddressModel {
  const { profile } = useServices();
  const [touched, setTouched] = useState(draft.customer !== "");
  const error = validateCustomer(draft.customer);
  return {
    value: draft.customer,
    // Validated as you type, but "enter a name" only once there was something to check.
    error: touched || showErrors ? error : null,
    addresses:
      error !== null
        ? []
        : regionChosen
          ? journalingAddresses(draft, profile).map((a) => ({ regionLabel: a.region.label, address: a.address }))
          : profile.regions.map((r) => ({
              regionLabel: r.label,
              address: journalingAddress(draft.customer.trim(), r),
            })),
    regionKnown: regionChosen,
    help: profile.customerNameHelp,
    onChange(value: string) {
      setTouched(true);
      update({ customer: value });
    },
  };
}
