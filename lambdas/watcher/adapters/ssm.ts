/**
 * SSM Parameter Store reads and writes of the watcher: the source (public) parameter, the module's approved / previous
 * AMI parameters, the pause switch, the deny list and the per-node-group state. Throttling → RetryLaterError.
 */
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { SendClient } from '../../shared/aws-client';
import { callAws, errorName } from '../../shared/aws-errors';
import {
  GroupState,
  parseDenyList,
  ParsedState,
  parseGroupState,
  serializeDenyList,
  serializeGroupState,
} from '../state';
import { Candidate, isAmiId, PauseState } from '../types';

function isParameterNotFound(error: unknown): boolean {
  return errorName(error) === 'ParameterNotFound';
}

export interface ParameterValue {
  readonly value: string;
  readonly type?: string;
}

/** The parameter's value, or undefined when it does not exist. */
export async function getParameter(ssm: SendClient, name: string): Promise<ParameterValue | undefined> {
  try {
    const output = await callAws('GetParameter', () => ssm.send(new GetParameterCommand({ Name: name })));
    const value: string | undefined = output.Parameter?.Value;
    return value === undefined ? undefined : { value, type: output.Parameter?.Type };
  } catch (error) {
    if (isParameterNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The AMI id in a source parameter: a plain id (`…/recommended/image_id`, Bottlerocket `…/latest/image_id`, a custom
 * parameter) or the JSON document of `…/recommended` (`{"image_id": …}`).
 */
export function amiIdFromParameterValue(raw: string): string {
  const text = raw.trim();
  if (!text.startsWith('{')) return text;
  try {
    const doc = JSON.parse(text) as { image_id?: unknown };
    return typeof doc.image_id === 'string' ? doc.image_id.trim() : text;
  } catch {
    return text;
  }
}

export async function readCandidate(ssm: SendClient, parameterName: string): Promise<Candidate> {
  const parameter = await getParameter(ssm, parameterName);
  if (parameter === undefined || parameter.value.trim() === '') return { kind: 'missing', parameterName };
  const amiId = amiIdFromParameterValue(parameter.value);
  return isAmiId(amiId) ? { kind: 'ami', amiId } : { kind: 'invalid', parameterName, value: amiId.slice(0, 80) };
}

/** An AMI parameter's value when it is an AMI id; undefined otherwise (missing, empty, placeholder). */
export async function readAmiParameter(ssm: SendClient, name: string): Promise<string | undefined> {
  const parameter = await getParameter(ssm, name);
  const value = parameter?.value.trim();
  return isAmiId(value) ? value : undefined;
}

/**
 * Writes an AMI id to one of the module's `aws:ec2:image` parameters. SSM validates such values asynchronously: a
 * successful PutParameter does not mean the new value is visible yet, so callers read it back before acting on it.
 */
export async function putAmiParameter(ssm: SendClient, name: string, amiId: string): Promise<void> {
  await callAws('PutParameter', () =>
    ssm.send(
      new PutParameterCommand({ Name: name, Value: amiId, Type: 'String', DataType: 'aws:ec2:image', Overwrite: true }),
    ),
  );
}

/** "true" pauses, "false" does not; a missing parameter does not pause; anything else pauses (fail safe). */
export async function readPause(ssm: SendClient, name: string): Promise<PauseState> {
  const parameter = await getParameter(ssm, name);
  if (parameter === undefined) return { paused: false };
  const value = parameter.value.trim().toLowerCase();
  if (value === 'true') return { paused: true, reason: `the pause switch ${name} is "true"` };
  if (value === 'false') return { paused: false };
  return {
    paused: true,
    reason:
      `the pause switch ${name} holds "${parameter.value.slice(0, 40)}" ` +
      `(expected true or false): treated as paused`,
  };
}

export interface DenyList {
  readonly amiIds: readonly string[];
  readonly format: 'list' | 'json';
  /** SSM type to write back (StringList, or String for a JSON array). */
  readonly type: 'String' | 'StringList';
}

export async function readDenyList(ssm: SendClient, name: string): Promise<DenyList> {
  const parameter = await getParameter(ssm, name);
  const { amiIds, format } = parseDenyList(parameter?.value);
  const type = parameter?.type === 'String' ? 'String' : 'StringList';
  return { amiIds, format, type };
}

/** Adds an AMI to the deny list (read-modify-write, keeping the parameter's type and format). No-op when present. */
export async function addToDenyList(ssm: SendClient, name: string, amiId: string): Promise<'added' | 'present'> {
  const current = await readDenyList(ssm, name);
  if (current.amiIds.includes(amiId)) return 'present';
  const value = serializeDenyList([...current.amiIds, amiId], current.format);
  await callAws('PutParameter', () =>
    ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: current.type, Overwrite: true })),
  );
  return 'added';
}

export async function readGroupState(ssm: SendClient, name: string): Promise<ParsedState> {
  const parameter = await getParameter(ssm, name);
  return parseGroupState(parameter?.value);
}

export async function writeGroupState(ssm: SendClient, name: string, state: GroupState): Promise<void> {
  await callAws('PutParameter', () =>
    ssm.send(
      new PutParameterCommand({ Name: name, Value: serializeGroupState(state), Type: 'String', Overwrite: true }),
    ),
  );
}
