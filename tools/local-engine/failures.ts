// How a step's failure travels: a StepFailure stops the deployment with its message; a
// registration Skipped because an earlier step failed is not reported again.

export class StepFailure extends Error {}

/** A registration refused because an earlier step failed (the engine starts no new steps). */
export class Skipped extends Error {}
