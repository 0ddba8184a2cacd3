/**
 * lib/validation.ts: the shared checkers other constructs rely on.
 */
import { Token } from 'cdktf';
import {
  ValidationError,
  checkIntegerRange,
  checkName,
  checkNonEmpty,
  checkOneOf,
  describeValue,
  invalid,
} from '../../lib/validation';

describe('invalid / ValidationError', () => {
  it('formats prop, value, reason and fix on one line', () => {
    // GIVEN a rejected value / WHEN invalid() throws
    let error: unknown;
    try {
      invalid(
        'NodejsFunction.timeoutSeconds',
        1200,
        "must be between 1 and 900 (Lambda's maximum)",
        'lower timeoutSeconds',
      );
    } catch (e) {
      error = e;
    }
    // THEN the message and fields follow the convention
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      'NodejsFunction.timeoutSeconds: 1200 is invalid — must be between 1 and 900 ' +
        "(Lambda's maximum). Fix: lower timeoutSeconds.",
    );
    expect((error as ValidationError).prop).toBe('NodejsFunction.timeoutSeconds');
    expect((error as ValidationError).value).toBe(1200);
    expect((error as ValidationError).name).toBe('ValidationError');
  });
});

describe('checkers', () => {
  const token = Token.asNumber({ resolve: () => 1 });
  const stringToken = Token.asString({ resolve: () => 'x' });

  it('checkIntegerRange: inclusive bounds, integers only, tokens and undefined skipped', () => {
    // GIVEN the range 1..900 / THEN bounds pass, outside and fractions fail, tokens pass
    expect(() => checkIntegerRange('P.x', 1, 1, 900, 'fix')).not.toThrow();
    expect(() => checkIntegerRange('P.x', 900, 1, 900, 'fix')).not.toThrow();
    expect(() => checkIntegerRange('P.x', 901, 1, 900, 'fix', 'the limit')).toThrow(
      'P.x: 901 is invalid — must be an integer between 1 and 900 (the limit). Fix: fix.',
    );
    expect(() => checkIntegerRange('P.x', 1.5, 1, 900, 'fix')).toThrow(/P\.x: 1\.5 is invalid/);
    expect(() => checkIntegerRange('P.x', Number.NaN, 1, 900, 'fix')).toThrow(/P\.x: null is invalid/);
    expect(() => checkIntegerRange('P.x', token, 1, 900, 'fix')).not.toThrow();
    expect(() => checkIntegerRange('P.x', undefined, 1, 900, 'fix')).not.toThrow();
  });

  it('checkOneOf lists the allowed values', () => {
    // GIVEN an allow-list / THEN members pass, others fail with the list in the message
    expect(() => checkOneOf('P.mode', 'A', ['A', 'B'], 'pick one')).not.toThrow();
    expect(() => checkOneOf('P.mode', 'C', ['A', 'B'], 'pick one')).toThrow(
      'P.mode: "C" is invalid — must be one of "A", "B". Fix: pick one.',
    );
    expect(() => checkOneOf('P.mode', stringToken, ['A', 'B'], 'pick one')).not.toThrow();
  });

  it('checkNonEmpty covers strings, arrays and objects', () => {
    // GIVEN empty and non-empty values / THEN only the empty ones fail
    expect(() => checkNonEmpty('P.s', '  ', 'set it')).toThrow(
      'P.s: "  " is invalid — must not be empty. Fix: set it.',
    );
    expect(() => checkNonEmpty('P.a', [], 'set it')).toThrow(/P\.a: \[\] is invalid/);
    expect(() => checkNonEmpty('P.o', {}, 'set it')).toThrow(/P\.o: \{\} is invalid/);
    expect(() => checkNonEmpty('P.s', 'x', 'set it')).not.toThrow();
    expect(() => checkNonEmpty('P.a', [1], 'set it')).not.toThrow();
    expect(() => checkNonEmpty('P.o', { a: 1 }, 'set it')).not.toThrow();
  });

  it('checkName checks length and characters', () => {
    // GIVEN a 5-character lower-case name rule
    const rule = { maxLength: 5, pattern: /^[a-z]+$/, allowedChars: 'lower-case letters' };
    // THEN too long and bad characters fail with distinct reasons
    expect(() => checkName('P.n', 'abcdef', rule, 'shorten')).toThrow(
      'P.n: "abcdef" is invalid — must be 1–5 characters long (it has 6). Fix: shorten.',
    );
    expect(() => checkName('P.n', 'ab-c', rule, 'fix')).toThrow('may only contain lower-case letters');
    expect(() => checkName('P.n', 'abc', rule, 'fix')).not.toThrow();
    expect(() => checkName('P.n', stringToken, rule, 'fix')).not.toThrow();
  });

  it('describeValue keeps messages short and readable', () => {
    // GIVEN values of each kind / THEN they render compactly
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue({ a: [1] })).toBe('{"a":[1]}');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue('x'.repeat(500))).toHaveLength(120);
  });
});
