import type { DirectoryApi, GraphClientOptions } from "./graphClient";

/**
 * A DirectoryApi that loads the Graph client (its own chunk) on first use: the people pickers are
 * steps 3-4, so the first render never waits for it.
 */
export function createLazyDirectory(options: GraphClientOptions): DirectoryApi {
  let loaded: Promise<DirectoryApi> | undefined;
  const get = (): Promise<DirectoryApi> =>
    (loaded ??= import(/* webpackChunkName: "graph" */ "./graphClient").then((m) => m.createGraphDirectory(options)));
  return {
    searchPeople: async (query) => (await get()).searchPeople(query),
    peopleInCountries: async (countries) => (await get()).peopleInCountries(countries),
    searchGroups: async (query) => (await get()).searchGroups(query),
  };
}
