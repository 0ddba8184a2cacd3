/** The options of `status`, as commander parses them (cli/commands/status.ts). */
export interface StatusFlags {
  cluster: string;
  region?: string;
  watch?: boolean;
  interval: number;
  json?: boolean;
  instances?: boolean;
  sourceParameter?: string;
  joinDeadline: number;
  maxDrain: number;
  standaloneGrace: number;
}
