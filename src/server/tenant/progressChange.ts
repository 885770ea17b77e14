import type { StepStates } from "../../core/contract";

/** The history line of a PUT /api/progress: what changed between the saved progress and the new one. */
export function describeProgressChange(
  beforeDraft: unknown,
  afterDraft: unknown,
  beforeSteps: StepStates,
  afterSteps: StepStates,
): string {
  const parts: string[] = [];
  if (JSON.stringify(beforeDraft) !== JSON.stringify(afterDraft)) parts.push("changed the draft");
  for (const [step, state] of Object.entries(afterSteps)) {
    if (beforeSteps[step] !== state) parts.push(`marked ${step} ${state}`);
  }
  for (const step of Object.keys(beforeSteps)) if (!(step in afterSteps)) parts.push(`removed step ${step}`);
  return parts.length ? parts.join(", ") : "saved without changes";
}
