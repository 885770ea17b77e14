import type { SignedInShellProps } from "../SignedInShell/SignedInShell";
import { preloadable } from "../common/preloadable";

export { statusViewChunk } from "../StatusView/statusViewChunk";

/** The signed-in shell's chunk, preloadable: a tab opened on the status loads it while signing in. */
export const shellChunk = preloadable<SignedInShellProps>(
  () => import(/* webpackChunkName: "shell" */ "../SignedInShell/SignedInShell"),
);
