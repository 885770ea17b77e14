/** A refused query option: the status, Graph's error code and its message (routes wrap it in Graph's error shape). */
export class GraphQueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
