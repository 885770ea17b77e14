/** Exchange object names (connectors, rules, groups) are at most 64 characters. */
export const MAX_NAME = 64;
