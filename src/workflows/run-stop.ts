/** A reason the run stops: the failure the workflow ends with. */
export class RunStop {
  constructor(
    readonly type: string,
    readonly message: string,
    /** The first host that failed, when hosts did. */
    readonly host?: string,
  ) {}
}
