/** A problem with one variable (or a combination of them), as start-up reports it. */
export interface EnvironmentIssue {
  /** The variable (or variables, comma-separated, when the problem is their combination). */
  path: string;
  message: string;
}
