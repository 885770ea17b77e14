import { useCallback } from "react";
import type { ObservedState } from "../../core/observed/types";
import type { BackendApi, TenantStateResponse } from "../../services/backend/types";
import { PaneError } from "../../services/errors";
import { useLoad } from "../common/useLoad";
import type { TenantSnapshot } from "./Wizard.types";

const LISTS = ["Get-OutboundConnector", "Get-JournalRule", "Get-DistributionGroup"] as const;

/**
 * The backend sends the observed state as the core's parser produced it (defaults filled). The pane
 * checks its outline here instead of re-parsing with zod, which would add ~25 KB gzipped to the
 * wizard for no gain (the server never trusts the pane's view anyway).
 */
export function observedFromResponse(response: TenantStateResponse): ObservedState {
  const raw = response as unknown as Record<string, unknown>;
  for (const key of LISTS) {
    if (!Array.isArray(raw[key])) throw new PaneError("server_error", `the backend's tenant state has no ${key} list`);
  }
  if (raw["Get-TransportConfig"] === null || typeof raw["Get-TransportConfig"] !== "object") {
    throw new PaneError("server_error", "the backend's tenant state has no Get-TransportConfig");
  }
  const members = raw["Get-DistributionGroupMember"];
  return {
    ...(raw as unknown as ObservedState),
    "Get-DistributionGroupMember": (members ?? {}) as ObservedState["Get-DistributionGroupMember"],
  };
}

/** Reads the tenant through the backend. A failed read is an error, never "nothing configured". */
export function useTenantState(backend: BackendApi): TenantSnapshot {
  const read = useCallback(
    () =>
      backend.tenantState().then((response) => ({
        observed: observedFromResponse(response),
        readAt: response.readAt,
      })),
    [backend],
  );
  const { value, loading, error, reload } = useLoad(read);
  return { observed: value?.observed ?? null, readAt: value?.readAt ?? null, loading, error, reload };
}
