import type { DirectoryGroup, DirectoryPerson } from "../../services/graphClient";

export interface PeoplePickerProps {
  readonly label: string;
  readonly hint?: string;
  /** The text in the box (for a single-value picker, the chosen address). */
  readonly value: string;
  readonly onValueChange: (text: string) => void;
  readonly onPick: (person: DirectoryPerson) => void;
  /** Also search groups, and list them as options that can't be chosen (the reason is shown). */
  readonly groupsRefusedBecause?: string;
  readonly onGroupsFound?: (groups: readonly DirectoryGroup[]) => void;
  readonly validationState?: "error" | "warning" | "success" | "none";
  readonly validationMessage?: string;
  readonly placeholder?: string;
}

export interface PeopleSearch {
  readonly people: readonly DirectoryPerson[];
  readonly groups: readonly DirectoryGroup[];
  readonly searching: boolean;
  readonly error: unknown;
}
