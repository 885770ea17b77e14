import type { JournalingRegion } from "../../../core/profiles/profile";
import type { DirectoryPerson } from "../../../services/graphClient";
import type { RegionDraft } from "../../setup/draft";
import type { StepProps } from "../../Wizard/Wizard.types";

export type RegionsStepProps = StepProps;

export interface ExistingList {
  readonly name: string;
  readonly address: string;
}

export interface RegionGroupEditorProps {
  readonly region: JournalingRegion;
  readonly value: RegionDraft;
  readonly onChange: (next: RegionDraft) => void;
  readonly existingLists: readonly ExistingList[];
  /** Validation messages for this region's fields, keyed by field ("name", "address"). */
  readonly errors: Readonly<Record<string, string>>;
}

export interface Suggestions {
  readonly people: readonly DirectoryPerson[];
  readonly loading: boolean;
  readonly error: unknown;
}
