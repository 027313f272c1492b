// How a step's failure travels: a StepFailure stops the deployment with its message; a
// registration Skipped because an earlier step failed is not reported again.
// messageOf: the text of anything thrown.

export class StepFailure extends Error {}

/** A registration refused because an earlier step failed (the engine starts no new steps). */
export class Skipped extends Error {}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
