import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CHANNEL } from "../devhost/protocol";
import { API_APP_ID, CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from "../emulator/directory/apps";
import type { TeamsSeed } from "../emulator/teams/admin";
import { packageRoot } from "../server/packageRoot";

/**
 * The product's Teams app as the emulator's tenants have it: the manifest template filled for the local
 * environment (manifest/environments/local.json), as `npm run package` fills it, with the emulator's API
 * app as `webApplicationInfo.id` (the Entra app that sends the activity feed notifications). src/stack may
 * not import manifest/lib, so the `{{NAME}}` substitution on string values is done here the same way
 * (manifest/lib/template.ts fillTemplate).
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function fill(value: Json, values: Readonly<Record<string, string>>): Json {
  if (typeof value === "string") return value.replace(/\{\{([A-Z][A-Z0-9_]*)\}\}/g, (m, n: string) => values[n] ?? m);
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  }
  return value;
}

/** manifest.json for the emulator: local.json's values, the API app as client id, the pane's origin. */
export function emulatorTeamsManifest(paneOrigin?: string): Record<string, Json> {
  const root = join(packageRoot(), "manifest");
  const template = JSON.parse(readFileSync(join(root, "manifest.template.json"), "utf8")) as Json;
  const local = JSON.parse(readFileSync(join(root, "environments", "local.json"), "utf8")) as Record<string, string>;
  const origin = paneOrigin ?? local.PANE_ORIGIN ?? "https://localhost:3000";
  const values = { ...local, PANE_ORIGIN: origin, PANE_HOST: new URL(origin).host, CLIENT_ID: API_APP_ID };
  return fill(template, values) as Record<string, Json>;
}

/**
 * What `npm start` has in Teams: the app installed for every member of both seed tenants, and in the
 * dev host's team (its channel tab's team) in Contoso.
 */
export function stackTeamsSeeds(paneOrigin?: string): TeamsSeed[] {
  const manifest = emulatorTeamsManifest(paneOrigin);
  return [
    {
      tenant: CONTOSO_TENANT_ID,
      manifest,
      installForUsers: "all",
      team: {
        id: DEFAULT_CHANNEL.groupId,
        displayName: DEFAULT_CHANNEL.teamName,
        channels: [{ id: DEFAULT_CHANNEL.channelId, displayName: DEFAULT_CHANNEL.channelName }],
        members: "all",
      },
    },
    { tenant: FABRIKAM_TENANT_ID, manifest, installForUsers: "all" },
  ];
}
