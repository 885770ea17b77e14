/** The ports of `npm start`: the `local` manifest environment points at https://localhost:3000. */
export const STACK_DEFAULT_PORTS = { emulator: 4443, backend: 3001, pane: 3000 } as const;
