import { promises as fsp, readFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { SEED_EXCHANGE_ROLE_GROUP_MEMBERS, seedDirectories, type SeedVariant } from "./directory/seed";
import { createExchangeState } from "./exchange";
import { defaultExchangeSettings } from "./exchange/settingsSchema";
import type { EmulatorStateData, TenantRecord } from "./tenant";
import { findTenant } from "./tenant";

/** Builds the seed state: every seed tenant with its Exchange organisation for the variant. */
export function createSeedState(seed: SeedVariant, latency: "realistic" | "none" = "realistic"): EmulatorStateData {
  const tenants: TenantRecord[] = seedDirectories().map((directory) => ({
    directory,
    // Only contoso gets the gateway variant; fabrikam stays a plain tenant for isolation tests.
    exchange: createExchangeState(directory, directory.initialDomain.startsWith("contoso.") ? seed : "default", {
      latency,
      roleGroupMembers: SEED_EXCHANGE_ROLE_GROUP_MEMBERS[directory.initialDomain] ?? {},
    }),
  }));
  return { version: 1, seed, tenants };
}

export interface StateStoreOptions {
  seed: SeedVariant;
  latency?: "realistic" | "none";
  /** When set, the state is loaded from and saved to this JSON file. */
  stateFile?: string;
  /** Delay before a change is written (several changes in a burst make one write). */
  saveDelayMs?: number;
}

/**
 * Holds the emulator's state and writes it to the state file after changes (debounced) and on
 * close. One instance per running emulator; nothing global.
 */
export class StateStore {
  private current: EmulatorStateData;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: StateStoreOptions) {
    this.current = this.load() ?? createSeedState(options.seed, options.latency);
  }

  get data(): EmulatorStateData {
    return this.current;
  }

  get tenants(): TenantRecord[] {
    return this.current.tenants;
  }

  getTenant(idOrName: string): TenantRecord | undefined {
    return findTenant(this.current.tenants, idOrName);
  }

  /** Back to the seed (the admin endpoint `POST /_emulator/reset`). */
  reset(seed: SeedVariant = this.options.seed): void {
    this.current = createSeedState(seed, this.options.latency);
    this.changed();
  }

  /** Call after any mutation; schedules a save when a state file is configured. */
  changed(): void {
    if (this.options.stateFile === undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.save());
    }, this.options.saveDelayMs ?? 200);
  }

  /** Writes pending changes now (on close). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writing = this.writing.then(() => this.save());
    }
    await this.writing;
  }

  private load(): EmulatorStateData | undefined {
    const file = this.options.stateFile;
    if (file === undefined || !existsSync(file)) return undefined;
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<EmulatorStateData>;
    if (parsed.version !== 1 || !Array.isArray(parsed.tenants)) {
      throw new Error(
        `emulator state file ${file} is not a version 1 emulator state; delete it or pick another --state`,
      );
    }
    const data = parsed as EmulatorStateData;
    // A state file written before a setting existed gets that setting's default; what it stored stays.
    for (const tenant of data.tenants) {
      const stored = tenant.exchange.settings;
      tenant.exchange.settings = { ...defaultExchangeSettings(stored.latency), ...stored };
    }
    return data;
  }

  private async save(): Promise<void> {
    const file = this.options.stateFile;
    if (file === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    // Write then rename, so a crash mid-write never leaves half a file behind.
    const tmp = `${file}.tmp-${process.pid}`;
    await fsp.writeFile(tmp, JSON.stringify(this.current, null, 2));
    await fsp.rename(tmp, file);
  }
}
