import { GateLogger, LogFields } from '../../lambdas/shared/observability';

/** One recorded log line: level, message and the merged structured fields. */
export interface LogLine {
  level: string;
  message: string;
  fields: LogFields;
}

/** A logger for the handlers' injected `logger` that records every line, so tests can assert on them. */
export function recordingLogger(): GateLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, ...fields: LogFields[]) => {
      lines.push({ level, message, fields: Object.assign({}, ...fields) });
    };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
