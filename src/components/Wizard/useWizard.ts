import { useCallback, useEffect, useRef, useState } from "react";
import type { BackendApi, ProgressDocument, StepId } from "../../services/backend/types";
import { PaneError } from "../../services/errors";
import { useServices } from "../services/ServicesContext";
import {
  emptyDraft,
  normalizeDraft,
  validateCustomer,
  validateNdrMailbox,
  validateRegions,
  type KnownGroup,
  type SetupDraft,
} from "../setup/draft";
import { useTenantState } from "./useTenantState";
import { STEPS, type PendingApply, type StepStates, type TenantSnapshot } from "./Wizard.types";

const SAVE_DELAY_MS = 800;

export interface WizardModel {
  readonly loading: boolean;
  readonly loadError: unknown;
  readonly step: StepId;
  readonly stepIndex: number;
  readonly steps: StepStates;
  readonly draft: SetupDraft;
  readonly tenant: TenantSnapshot;
  readonly showErrors: boolean;
  /** A save or conflict problem to show above the step. */
  readonly notice: unknown;
  readonly domain: string;
  readonly pendingApply: PendingApply | null;
  readonly runId: string | null;
  /** Groups the NDR check knows of beyond Exchange's (found by Graph searches). */
  readonly extraGroups: readonly KnownGroup[];
  readonly update: (patch: Partial<SetupDraft>) => void;
  readonly goTo: (step: StepId) => void;
  readonly next: () => void;
  readonly back: () => void;
  readonly startApply: (pending: PendingApply) => void;
  readonly attachRun: (runId: string) => void;
  readonly finishApply: (succeeded: boolean) => void;
  /** The run succeeded: Apply is done (so Status opens up in the step list), without leaving the step. */
  readonly markApplied: () => void;
  readonly rememberGroups: (groups: readonly KnownGroup[]) => void;
  readonly retryLoad: () => void;
}

/** Problems that keep the admin on a step; empty = the step is complete. */
export function stepProblems(step: StepId, draft: SetupDraft, groups: readonly KnownGroup[]): string[] {
  switch (step) {
    case "address": {
      const e = validateCustomer(draft.customer);
      return e ? [e] : [];
    }
    case "where":
      return validateRegions(draft).map((p) => p.message);
    case "ndr": {
      const e = validateNdrMailbox(draft, groups);
      return e ? [e] : [];
    }
    default:
      return [];
  }
}

function firstOpenStep(steps: StepStates): StepId {
  if (steps.apply === "done") return "status";
  return STEPS.find((s) => steps[s.id] !== "done" && s.id !== "apply" && s.id !== "status")?.id ?? "review";
}

/** Serialises progress saves so each PUT carries the version the previous one returned. */
function useProgressSaver(
  backend: BackendApi,
  onSaved: (doc: ProgressDocument<SetupDraft>) => void,
  onConflict: (err: unknown) => void,
) {
  const chain = useRef<Promise<void>>(Promise.resolve());
  const version = useRef(0);
  const save = useCallback(
    (draft: SetupDraft, steps: StepStates): Promise<void> => {
      chain.current = chain.current.then(async () => {
        try {
          const doc = await backend.putProgress<SetupDraft>({ draft, steps, version: version.current });
          version.current = doc.version;
          onSaved(doc);
        } catch (err) {
          onConflict(err);
        }
      });
      return chain.current;
    },
    [backend, onSaved, onConflict],
  );
  return { save, version };
}

/** `startAt`: the step to open on (Manage's "Change regions or members"), else the first open one. */
export function useWizard(startAt?: StepId, onApplied?: () => void): WizardModel {
  const { backend, session } = useServices();
  const tenant = useTenantState(backend);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loadAttempt, setLoadAttempt] = useState(0);
  const [step, setStep] = useState<StepId>("check");
  const [steps, setSteps] = useState<StepStates>({});
  const [draft, setDraft] = useState<SetupDraft>(emptyDraft);
  const [showErrors, setShowErrors] = useState(false);
  const [notice, setNotice] = useState<unknown>(null);
  const [pendingApply, setPendingApply] = useState<PendingApply | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [extraGroups, setExtraGroups] = useState<readonly KnownGroup[]>([]);
  const latest = useRef({ draft, steps });
  latest.current = { draft, steps };
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const onSaved = useCallback(() => setNotice(null), []);
  const onSaveFailed = useCallback(
    (err: unknown) => {
      setNotice(err);
      if (err instanceof PaneError && err.code === "version_conflict") {
        // A colleague saved first: take their version (draft and steps) and say so.
        backend
          .getProgress<SetupDraft>()
          .then((doc) => {
            // A change typed while their version loaded would be saved over it, unseen: drop it with the rest.
            clearTimeout(timer.current);
            saver.version.current = doc.version;
            setDraft(normalizeDraft(doc.draft));
            setSteps(doc.steps);
          })
          .catch(setNotice);
      }
    },
    [backend],
  );
  const saver = useProgressSaver(backend, onSaved, onSaveFailed);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setLoadError(null);
    Promise.all([backend.getProgress<SetupDraft>(), backend.activeRun()])
      .then(([doc, active]) => {
        if (cancelled) return;
        saver.version.current = doc.version;
        setDraft(normalizeDraft(doc.draft));
        setSteps(doc.steps);
        if (active && active.state === "running") {
          // Reopened while a run is going: reattach to it instead of starting over.
          setRunId(active.id);
          setStep("apply");
        } else {
          setStep(startAt ?? firstOpenStep(doc.steps));
        }
      })
      .catch((err: unknown) => {
        if (!cancelled) setLoadError(err);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [backend, saver.version, loadAttempt, startAt]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const update = useCallback(
    (patch: Partial<SetupDraft>) => {
      setDraft((d) => {
        const next = { ...d, ...patch };
        clearTimeout(timer.current);
        timer.current = setTimeout(() => void saver.save(next, latest.current.steps), SAVE_DELAY_MS);
        return next;
      });
    },
    [saver],
  );

  const stepIndex = STEPS.findIndex((s) => s.id === step);

  const moveTo = useCallback(
    (target: StepId, markDone?: StepId) => {
      const nextSteps = markDone ? { ...latest.current.steps, [markDone]: "done" as const } : latest.current.steps;
      setSteps(nextSteps);
      setShowErrors(false);
      setStep(target);
      clearTimeout(timer.current);
      void saver.save(latest.current.draft, nextSteps);
    },
    [saver],
  );

  const next = useCallback(() => {
    const problems = stepProblems(step, latest.current.draft, [
      ...(tenant.observed?.["Get-DistributionGroup"] ?? []).map((g) => ({
        name: g.Name,
        address: g.PrimarySmtpAddress,
      })),
      ...extraGroups,
    ]);
    if (problems.length > 0) {
      setShowErrors(true);
      return;
    }
    const following = STEPS[stepIndex + 1];
    if (following) moveTo(following.id, step);
  }, [step, stepIndex, tenant.observed, extraGroups, moveTo]);

  const back = useCallback(() => {
    const previous = STEPS[stepIndex - 1];
    if (previous) {
      setShowErrors(false);
      setStep(previous.id);
    }
  }, [stepIndex]);

  const goTo = useCallback((target: StepId) => {
    setShowErrors(false);
    setStep(target);
  }, []);

  const startApply = useCallback(
    (pending: PendingApply) => {
      setPendingApply(pending);
      setRunId(null);
      moveTo("apply", "review");
    },
    [moveTo],
  );

  const attachRun = useCallback((id: string) => {
    setRunId(id);
    setPendingApply(null);
  }, []);

  const finishApply = useCallback(
    (succeeded: boolean) => {
      if (succeeded) {
        tenant.reload();
        moveTo("status", "apply");
        onApplied?.();
      }
    },
    [moveTo, tenant, onApplied],
  );

  const markApplied = useCallback(() => {
    if (latest.current.steps.apply === "done") return;
    const nextSteps = { ...latest.current.steps, apply: "done" as const };
    setSteps(nextSteps);
    clearTimeout(timer.current);
    void saver.save(latest.current.draft, nextSteps);
  }, [saver]);

  const rememberGroups = useCallback((groups: readonly KnownGroup[]) => {
    setExtraGroups((known) => {
      const seen = new Set(known.map((g) => g.address.toLowerCase()));
      const added = groups.filter((g) => !seen.has(g.address.toLowerCase()));
      return added.length === 0 ? known : [...known, ...added];
    });
  }, []);

  const domain = session.user.upn.includes("@")
    ? session.user.upn.slice(session.user.upn.lastIndexOf("@") + 1)
    : "contoso.com";

  return {
    loading,
    loadError,
    step,
    stepIndex,
    steps,
    draft,
    tenant,
    showErrors,
    notice,
    domain,
    pendingApply,
    runId,
    extraGroups,
    update,
    goTo,
    next,
    back,
    startApply,
    attachRun,
    finishApply,
    markApplied,
    rememberGroups,
    retryLoad: () => setLoadAttempt((n) => n + 1),
  };
}
