import type { JournalingRegion, VendorProfile } from "../profiles/profile";
import type { ConnectorMode, DesiredGroup, SetupState } from "../desired/schema";

/** One journaling destination of the desired state, with every name resolved. */
export interface JournalingTarget {
  readonly region: JournalingRegion;
  readonly journalingAddress: string;
  readonly connectorName: string;
  readonly ruleName: string;
  /** Absent for "everyone": the rule then has no -Recipient. */
  readonly group?: DesiredGroup;
}

/** The desired state after validation, ready for the resource modules. */
export interface ResolvedSetup {
  readonly profile: VendorProfile;
  readonly customer: string;
  readonly ndrMailbox: string;
  readonly connectorMode: ConnectorMode;
  readonly perRegion: boolean;
  readonly targets: readonly JournalingTarget[];
  /** active (default) | paused | removed: what each resource's diff aims for. */
  readonly state: SetupState;
  /** With state removed: clear JournalingReportNdrTo once no other journal rule remains. */
  readonly clearNdrAddress: boolean;
}
