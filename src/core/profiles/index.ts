import { area1 } from "./area1";
import type { VendorProfile } from "./profile";

export * from "./profile";
export { area1 };

/** Every vendor profile the product knows; adding a vendor = one data file + one line here. */
export const profiles: Readonly<Record<string, VendorProfile>> = { area1 };

export function getProfile(id: string): VendorProfile | undefined {
  return Object.prototype.hasOwnProperty.call(profiles, id) ? profiles[id] : undefined;
}
