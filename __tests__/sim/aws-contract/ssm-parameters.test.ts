/**
 * Contract: SSM Parameter Store (GetParameter / PutParameter API reference; "Native parameter support for Amazon
 * Machine Image IDs": aws:ec2:image values are validated asynchronously; Parameter Store Change events). See
 * docs/aws-contract.md.
 */
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { BusEvent } from '../../../sim/aws/eventbridge';
import { NEW_AMI, OLD_AMI } from '../../../sim/world';
import { call, sleep, smallWorld } from './autoscaling-world';

const put = (name: string, value: string, extra: Record<string, unknown> = {}) =>
  new PutParameterCommand({ Name: name, Value: value, Overwrite: true, ...extra });

describe('SSM Parameter Store (simulated)', () => {
  it('shows an aws:ec2:image write after its asynchronous validation, then emits the change event', async () => {
    const w = await smallWorld(1);
    w.ssm.publish('/p/image', OLD_AMI, 'String', 'aws:ec2:image');
    const events: BusEvent[] = [];
    w.bus.addRule({ name: 'ssm', matches: (e) => e.source === 'aws.ssm', target: (e) => void events.push(e) });
    const written = await call(
      w,
      w.clients.ssm.send(put('/p/image', NEW_AMI, { Type: 'String', DataType: 'aws:ec2:image' })),
    );
    const right = await call(w, w.clients.ssm.send(new GetParameterCommand({ Name: '/p/image' })));
    expect(written.Version).toBe(2);
    expect(right.Parameter.Value).toBe(OLD_AMI);
    await sleep(w, 60);
    expect(w.ssm.value('/p/image')).toBe(NEW_AMI);
    expect(events.map((e) => e.detail)).toEqual([{ operation: 'Update', name: '/p/image', type: 'String' }]);
  });

  it('drops an aws:ec2:image value EC2 does not know: the previous value stays', async () => {
    const w = await smallWorld(1);
    w.ssm.publish('/p/image', OLD_AMI, 'String', 'aws:ec2:image');
    await call(w, w.clients.ssm.send(put('/p/image', 'ami-0123456789abcdef0')));
    await sleep(w, 60);
    expect(w.ssm.value('/p/image')).toBe(OLD_AMI);
  });

  it('answers ParameterNotFound, needs Overwrite, rejects a malformed AMI id at once', async () => {
    const w = await smallWorld(1);
    w.ssm.publish('/p/state', '{}');
    await expect(call(w, w.clients.ssm.send(new GetParameterCommand({ Name: '/p/missing' })))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
    await expect(
      call(w, w.clients.ssm.send(new PutParameterCommand({ Name: '/p/state', Value: '[]', Type: 'String' }))),
    ).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    await expect(
      call(w, w.clients.ssm.send(put('/p/ami', 'latest', { Type: 'String', DataType: 'aws:ec2:image' }))),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('limits Standard parameters to 4096 characters and keeps /aws/ names to AWS', async () => {
    const w = await smallWorld(1);
    await expect(
      call(w, w.clients.ssm.send(put('/p/big', 'x'.repeat(4097), { Type: 'String' }))),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      call(w, w.clients.ssm.send(put('/aws/service/ecs/x', NEW_AMI, { Type: 'String' }))),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
