import type React from "react";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { area1 } from "../../src/core/profiles/area1";
import type { BackendApi, MeResponse } from "../../src/services/backend/types";
import type { DirectoryApi } from "../../src/services/graphClient";
import type { HostService } from "../../src/services/host";
import { ServicesProvider, type PaneServices } from "../../src/components/services/ServicesContext";

/** Services for component tests: each test passes only the backend / directory calls it uses. */
export function services(
  over: { backend?: Partial<BackendApi>; directory?: Partial<DirectoryApi>; canChange?: boolean } = {},
): PaneServices {
  const missing = (name: string) => () => Promise.reject(new Error(`${name} not expected in this test`));
  const backend = new Proxy(over.backend ?? {}, {
    get: (target, key: string) => (target as Record<string, unknown>)[key] ?? missing(key),
  }) as BackendApi;
  const directory: DirectoryApi = {
    searchPeople: () => Promise.resolve([]),
    peopleInCountries: () => Promise.resolve([]),
    searchGroups: () => Promise.resolve([]),
    ...over.directory,
  };
  const host: HostService = {
    kind: "browser",
    theme: "light",
    onThemeChange: () => () => undefined,
    progressLink: () => "https://pane.test/#/progress",
    copyText: () => Promise.resolve(),
  };
  const session: MeResponse = {
    user: { oid: "1", upn: "admin@contoso.com", name: "Megan Admin" },
    tenant: { id: "t", name: "Contoso" },
    roles: ["Global Administrator"],
    canChange: over.canChange ?? true,
    requiredRoles: ["Exchange Administrator", "Global Administrator"],
  };
  return {
    backend,
    directory,
    host,
    auth: {
      initialize: () => Promise.resolve(null),
      signIn: () => Promise.resolve(),
      signOut: () => Promise.resolve(),
      getToken: () => Promise.resolve("t"),
    },
    profile: area1,
    session,
  };
}

export function Wrap({ value, children }: { value: PaneServices; children: React.ReactNode }): React.JSX.Element {
  return (
    <FluentProvider theme={teamsLightTheme}>
      <ServicesProvider value={value}>{children}</ServicesProvider>
    </FluentProvider>
  );
}
