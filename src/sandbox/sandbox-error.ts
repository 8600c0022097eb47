/** A problem the person starting the sandbox can fix; main prints its message alone, without a stack. */
export class SandboxError extends Error {}
