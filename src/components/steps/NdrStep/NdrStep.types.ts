import type { PlanWarning } from "../../../core/plan/types";
import type { DirectoryPerson } from "../../../services/graphClient";
import type { KnownGroup } from "../../setup/draft";
import type { StepProps } from "../../Wizard/Wizard.types";

export interface NdrStepProps extends StepProps {
  /** Groups found by directory searches (Exchange's own lists come with the tenant state). */
  readonly extraGroups: readonly KnownGroup[];
  readonly onGroupsFound: (groups: readonly KnownGroup[]) => void;
}

export interface NdrModel {
  readonly value: string;
  readonly error: string | null;
  /** Mailboxes that look meant for this (e.g. "journal" in the name), one click to choose. */
  readonly suggestions: readonly DirectoryPerson[];
  /** The address Exchange uses today, if any. */
  readonly current: string | null;
  readonly warnings: readonly PlanWarning[];
  /** Problems the local plan found (e.g. the journal-rule limit). */
  readonly planProblems: readonly string[];
  readonly onChange: (value: string) => void;
  readonly choose: (address: string) => void;
}
