/** What one HTTP request may ask of the server: GRAPHQL_MAX_*, BODY_LIMIT_BYTES, REQUEST_TIMEOUT_MS. */
export interface GraphqlLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
}
