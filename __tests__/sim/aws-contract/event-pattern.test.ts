/**
 * The simulated bus's pattern matcher against the examples of AWS's documentation. Every event and pattern below is
 * copied from the page named in its describe block (Amazon EventBridge User Guide, read 2026-12-07), or from the
 * README of aws/event-ruler (the matching library those examples come from) where the User Guide gives no event.
 */
import { EventPattern, assertValidPattern, matchesEventPattern } from '../../../sim/aws/event-pattern';

const GUIDE = 'https://docs.aws.amazon.com/eventbridge/latest/userguide';

describe(`Amazon EventBridge event patterns (${GUIDE}/eb-event-patterns.html)`, () => {
  const ec2Event = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  };
  const terminations: EventPattern = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches the instance-termination pattern on the EC2 event and ignores the fields it does not name', () => {
    expect(matchesEventPattern(terminations, ec2Event)).toBe(true);
  });

  it('does not match another state, another case, or an event without the named field', () => {
    expect(matchesEventPattern(terminations, { ...ec2Event, detail: { state: 'running' } })).toBe(false);
    expect(matchesEventPattern(terminations, { ...ec2Event, detail: { state: 'Terminated' } })).toBe(false);
    expect(matchesEventPattern(terminations, { ...ec2Event, detail: {} })).toBe(false);
    expect(matchesEventPattern(terminations, { ...ec2Event, detail: undefined })).toBe(false);
  });

  it('treats the values of a field as alternatives ("source": ["aws.ec2", "aws.fargate"])', () => {
    const pattern = { source: ['aws.ec2', 'aws.fargate'] };
    expect(matchesEventPattern(pattern, { source: 'aws.fargate' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.ecs' })).toBe(false);
  });

  it('matches by value at any nesting (the Macie risk-score and trigger risk example)', () => {
    const macie = {
      'detail-type': 'Macie Alert',
      source: 'aws.macie',
      detail: { 'risk-score': 80, trigger: { 'alert-type': 'basic', risk: 8 }, tags: ['Custom_Alert', 'Insider'] },
    };
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    expect(matchesEventPattern(pattern, macie)).toBe(true);
    expect(matchesEventPattern(pattern, { ...macie, detail: { ...macie.detail, 'risk-score': '80' } })).toBe(false);
    expect(matchesEventPattern(pattern, { ...macie, detail: { ...macie.detail, trigger: 8 } })).toBe(false);
  });
});

describe(`Matching null values and empty strings (${GUIDE}/eb-event-patterns-null-values.html)`, () => {
  const launch = {
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  it('matches an empty string and a null value, which are not interchangeable', () => {
    expect(matchesEventPattern({ detail: { eventVersion: [''] } }, launch)).toBe(true);
    expect(matchesEventPattern({ detail: { responseElements: [null] } }, launch)).toBe(true);
    expect(matchesEventPattern({ detail: { eventVersion: [null] } }, launch)).toBe(false);
    expect(matchesEventPattern({ detail: { responseElements: [''] } }, launch)).toBe(false);
  });
});

describe(`Arrays in event patterns (${GUIDE}/eb-event-patterns-arrays.html)`, () => {
  it('matches when the pattern array and the event array intersect', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const asg =
      'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:' +
      'autoScalingGroupName/ASGTerminate';
    const event = { resources: [asg, 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern(pattern, { resources: [asg] })).toBe(false);
    expect(matchesEventPattern(pattern, { resources: [] })).toBe(false);
  });
});

describe(`Content filtering (${GUIDE}/eb-event-patterns-content-based-filtering.html)`, () => {
  it('prefix: "time" starting with 2017-10-02', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matchesEventPattern(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matchesEventPattern(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
  });

  it('prefix and suffix with equals-ignore-case, and suffix alone', () => {
    const service = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    expect(matchesEventPattern(service, { detail: { service: 'eventbridge' } })).toBe(true);
    expect(matchesEventPattern(service, { detail: { service: 'EVENTBUS' } })).toBe(true);
    expect(matchesEventPattern(service, { detail: { service: 'sqs' } })).toBe(false);
    expect(matchesEventPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'a.png' })).toBe(true);
    expect(matchesEventPattern({ FileName: [{ suffix: '.png' }] }, { FileName: 'a.PNG' })).toBe(false);
    const png = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matchesEventPattern(png, { detail: { FileName: 'a.PNG' } })).toBe(true);
  });

  it('anything-but with a string, a number, a list of strings, a list of numbers and a prefix', () => {
    const state = (value: unknown) => ({ detail: { state: value, 'x-limit': value } });
    const notInitializing = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(notInitializing, state('running'))).toBe(true);
    expect(matchesEventPattern(notInitializing, state('initializing'))).toBe(false);
    expect(matchesEventPattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, state(124))).toBe(true);
    expect(matchesEventPattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, state(123))).toBe(false);
    const notStopped = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesEventPattern(notStopped, state('overloaded'))).toBe(false);
    expect(matchesEventPattern(notStopped, state('running'))).toBe(true);
    const notRound = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesEventPattern(notRound, state(200))).toBe(false);
    expect(matchesEventPattern(notRound, state(250))).toBe(true);
    const notInit = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matchesEventPattern(notInit, state('initializing'))).toBe(false);
    expect(matchesEventPattern(notInit, state('running'))).toBe(true);
  });

  it('anything-but needs the field: an event without it does not match', () => {
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: {} })).toBe(
      false,
    );
  });

  it('numeric: every condition of every field must hold, and only JSON numbers match', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    // The event of aws/event-ruler's README "Ruler by Example".
    const event = { detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, state: 'running' } };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { ...event.detail, 'c-count': 0 } })).toBe(false);
    expect(matchesEventPattern(pattern, { detail: { ...event.detail, 'c-count': 6 } })).toBe(false);
    expect(matchesEventPattern(pattern, { detail: { ...event.detail, 'd-count': 10 } })).toBe(false);
    expect(matchesEventPattern(pattern, { detail: { ...event.detail, 'c-count': '5' } })).toBe(false);
  });

  it('exists: false matches an absent leaf, and an object where the leaf would be (not a leaf node)', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern(pattern, { ...event, detail: { ...event.detail, 'c-count': { c1: 100 } } })).toBe(true);
    expect(matchesEventPattern(pattern, { ...event, detail: { ...event.detail, 'c-count': 5 } })).toBe(false);
  });

  it('exists: true matches a present leaf only', () => {
    const pattern = { detail: { 'c-count': [{ exists: true }] } };
    expect(matchesEventPattern(pattern, { detail: { 'c-count': 5 } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { 'c-count': { c1: 100 } } })).toBe(false);
    expect(matchesEventPattern(pattern, { detail: {} })).toBe(false);
  });

  it('the complex example combining prefix, anything-but and numeric', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    const event = {
      time: '2017-10-02T16:24:49Z',
      detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, state: 'running' },
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern(pattern, { ...event, detail: { ...event.detail, state: 'initializing' } })).toBe(false);
  });
});

describe(`Comparison operators (${GUIDE}/eb-create-pattern-operators.html)`, () => {
  it('wildcard, equals-ignore-case and $or', () => {
    expect(matchesEventPattern({ FilePath: [{ wildcard: '*/lib/*' }] }, { FilePath: 'dir/lib/a.js' })).toBe(true);
    expect(matchesEventPattern({ FilePath: [{ wildcard: '*/lib/*' }] }, { FilePath: 'dir/src/a.js' })).toBe(false);
    expect(matchesEventPattern({ source: [{ 'equals-ignore-case': 'EC2' }] }, { source: 'ec2' })).toBe(true);
    const either = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };
    expect(matchesEventPattern(either, { Location: 'Paris', Day: 'Monday' })).toBe(true);
    expect(matchesEventPattern(either, { Location: 'Paris', Day: 'Sunday' })).toBe(false);
  });
});

describe('patterns the matcher refuses', () => {
  it.each([
    ['an empty leaf', { source: [] }],
    ['a scalar leaf', { source: 'aws.ec2' }],
    ['an operator it does not implement', { ip: [{ cidr: '10.0.0.0/24' }] }],
    ['two operators in one matcher', { n: [{ prefix: 'a', suffix: 'b' }] }],
    ['a malformed numeric', { n: [{ numeric: ['>>', 1] }] }],
    ['a $or with one pattern', { $or: [{ a: ['b'] }] }],
  ])('%s', (_name, pattern) => {
    expect(() => assertValidPattern(pattern)).toThrow();
    expect(() => matchesEventPattern(pattern as EventPattern, {})).toThrow();
  });
});
