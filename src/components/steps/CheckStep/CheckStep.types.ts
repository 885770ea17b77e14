import type { TenantSnapshot } from "../../Wizard/Wizard.types";

export interface CheckStepProps {
  readonly tenant: TenantSnapshot;
}

/** One line of "what the tenant already has", with the reason it matters. */
export interface Finding {
  readonly id: "connectors" | "gateway" | "hybrid" | "ndr" | "rules";
  readonly label: string;
  readonly value: string;
  readonly reason: string;
  readonly intent: "success" | "warning" | "info";
}
