import { useEffect, useMemo, useState } from "react";
import { isUnsetAddress, isValidSmtpAddress } from "../../../core/desired/smtp";
import type { PlanWarning } from "../../../core/plan/types";
import { PaneError } from "../../../services/errors";
import type { DirectoryPerson } from "../../../services/graphClient";
import { toDesiredState, validateNdrMailbox, type KnownGroup } from "../../setup/draft";
import { useServices } from "../../services/ServicesContext";
import type { NdrModel, NdrStepProps } from "./NdrStep.types";

/** Words that name a mailbox meant for undeliverable journal reports. */
const SUGGESTION_QUERY = "journal";
const PLAN_DELAY_MS = 400;

export function useNdrStep({ draft, update, tenant, showErrors, extraGroups, onGroupsFound }: NdrStepProps): NdrModel {
  const { directory, profile, backend } = useServices();
  const [touched, setTouched] = useState(draft.ndrMailbox !== "");
  const [suggestions, setSuggestions] = useState<readonly DirectoryPerson[]>([]);
  const [warnings, setWarnings] = useState<readonly PlanWarning[]>([]);
  const [planProblems, setPlanProblems] = useState<readonly string[]>([]);

  useEffect(() => {
    let current = true;
    directory
      .searchPeople(SUGGESTION_QUERY)
      .then((people) => current && setSuggestions(people.slice(0, 3)))
      .catch(() => current && setSuggestions([])); // suggestions are a convenience; the picker still works
    return () => {
      current = false;
    };
  }, [directory]);

  // A typed address may be a group Exchange's list doesn't show (e.g. a Microsoft 365 group): ask Graph.
  const address = draft.ndrMailbox.trim();
  useEffect(() => {
    if (!isValidSmtpAddress(address)) return;
    let current = true;
    const timer = setTimeout(() => {
      directory
        .searchGroups(address)
        .then((groups) => {
          if (current) onGroupsFound(groups.map((g) => ({ name: g.displayName, address: g.mail })));
        })
        .catch(() => undefined); // the Exchange list and the server's plan still catch groups
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [address, directory, onGroupsFound]);

  const groups: KnownGroup[] = useMemo(
    () => [
      ...(tenant.observed?.["Get-DistributionGroup"] ?? []).map((g) => ({
        name: g.Name,
        address: g.PrimarySmtpAddress,
      })),
      ...extraGroups,
    ],
    [tenant.observed, extraGroups],
  );
  const error = validateNdrMailbox(draft, groups);

  // The plan's warnings, from the server's planner (the same core), once the choices are complete.
  const desired = useMemo(() => (error === null ? toDesiredState(draft, profile) : null), [draft, error, profile]);
  useEffect(() => {
    if (!desired) {
      setWarnings([]);
      setPlanProblems([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      backend
        .plan(desired)
        .then((p) => {
          if (!current) return;
          setWarnings(p.plan.warnings);
          setPlanProblems([]);
        })
        .catch((err: unknown) => {
          if (!current) return;
          setWarnings([]);
          setPlanProblems(
            err instanceof PaneError && err.code === "invalid_desired_state"
              ? (err.details.fieldErrors ?? []).map((f) => f.message)
              : [],
          );
        });
    }, PLAN_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [backend, desired]);

  const currentNdr = tenant.observed?.["Get-TransportConfig"].JournalingReportNdrTo;
  return {
    value: draft.ndrMailbox,
    error: touched || showErrors || (error !== null && isValidSmtpAddress(address)) ? error : null,
    suggestions,
    current: isUnsetAddress(currentNdr) ? null : String(currentNdr),
    warnings,
    planProblems,
    onChange(value: string) {
      setTouched(true);
      update({ ndrMailbox: value });
    },
    choose(value: string) {
      setTouched(true);
      update({ ndrMailbox: value });
    },
  };
}
