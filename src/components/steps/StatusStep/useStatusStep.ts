import { useCallback, useEffect, useRef, useState } from "react";
import type { ConnectorValidation } from "../../../services/backend/types";
import { useSnapshotStatus } from "../../common/useSnapshotStatus";
import { useServices } from "../../services/ServicesContext";
import type { StatusModel } from "./StatusStep.types";

const POLL_MS = 1000;

export function useStatusStep(): StatusModel {
  const { backend } = useServices();
  // The saved snapshot at once (with its age), then the live status in the background.
  const { status, source, loading, error, reload } = useSnapshotStatus(backend);
  const [validation, setValidation] = useState<ConnectorValidation | null>(null);
  const [validating, setValidating] = useState(false);
  const [validationError, setValidationError] = useState<unknown>(null);
  const polling = useRef<AbortController | null>(null);
  const validatingNow = useRef(false);

  useEffect(() => {
    // The server keeps the tenant's last finished validation (maybe a colleague's, maybe newer than
    // the one shown); a validation running here stays in charge until it finishes.
    if (!validatingNow.current && status?.connectorValidation) setValidation(status.connectorValidation);
  }, [status]);

  useEffect(() => () => polling.current?.abort(), []);

  const validate = useCallback(() => {
    polling.current?.abort();
    const controller = new AbortController();
    polling.current = controller;
    validatingNow.current = true;
    setValidating(true);
    setValidationError(null);
    const poll = async (): Promise<void> => {
      const { validationId } = await backend.validateConnector();
      // Validation sends a test message through the connector: it takes a while, so poll.
      for (;;) {
        const v = await backend.getConnectorValidation(validationId);
        if (controller.signal.aborted) return;
        setValidation(v);
        if (v.state !== "running") return;
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (controller.signal.aborted) return;
      }
    };
    poll()
      .catch((err: unknown) => !controller.signal.aborted && setValidationError(err))
      .finally(() => {
        if (controller.signal.aborted) return;
        validatingNow.current = false;
        setValidating(false);
      });
  }, [backend]);

  const hasSetup = status !== null && (status.hasSetup ?? status.resources.length > 0);
  const allOk =
    status !== null &&
    hasSetup &&
    status.resources.length > 0 &&
    status.resources.every((r) => r.state === "ok" || r.state === "paused");
  return {
    status,
    loading,
    error,
    hasSetup,
    allOk,
    validation,
    validating,
    validationError,
    source,
    checkAgain: reload,
    validate,
  };
}
