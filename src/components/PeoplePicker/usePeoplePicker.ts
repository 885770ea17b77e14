import { useEffect, useRef, useState } from "react";
import type { DirectoryApi, DirectoryGroup } from "../../services/graphClient";
import type { PeopleSearch } from "./PeoplePicker.types";

const DEBOUNCE_MS = 250;
const MIN_QUERY = 2;

/** Searches the directory as the admin types (debounced; stale answers are dropped). */
export function usePeoplePicker(
  directory: DirectoryApi,
  query: string,
  withGroups: boolean,
  onGroupsFound?: (groups: readonly DirectoryGroup[]) => void,
): PeopleSearch {
  // Held in a ref: callers pass inline callbacks, which must not restart the search.
  const found = useRef(onGroupsFound);
  found.current = onGroupsFound;
  const [result, setResult] = useState<PeopleSearch>({ people: [], groups: [], searching: false, error: null });
  useEffect(() => {
    const q = query.trim();
    if (q.length < MIN_QUERY) {
      setResult({ people: [], groups: [], searching: false, error: null });
      return;
    }
    let current = true;
    setResult((r) => ({ ...r, searching: true, error: null }));
    const timer = setTimeout(() => {
      Promise.all([directory.searchPeople(q), withGroups ? directory.searchGroups(q) : Promise.resolve([])])
        .then(([people, groups]) => {
          if (!current) return;
          setResult({ people, groups, searching: false, error: null });
          if (groups.length > 0) found.current?.(groups);
        })
        .catch((error: unknown) => {
          if (current) setResult({ people: [], groups: [], searching: false, error });
        });
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [directory, query, withGroups]);
  return result;
}
