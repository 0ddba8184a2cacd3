/** The options of `pause`, `resume` and `promote`, as commander parses them (cli/commands/control.ts). */
export interface ControlFlags {
  cluster: string;
  region?: string;
  yes?: boolean;
  nodeGroup?: string;
}
