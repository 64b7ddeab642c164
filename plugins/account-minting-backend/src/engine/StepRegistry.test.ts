import { TerminalError } from '../aws/retry';
import { BaseStepContext } from './stepContext';
import { StepRegistry } from './StepRegistry';

const stepOfKind = (kind: string) =>
  ({ step: { kind } } as unknown as BaseStepContext);

describe('StepRegistry', () => {
  it('runs each step with the runner registered for its kind', async () => {
    const registry = new StepRegistry();
    registry.register({
      'mint-account': async base => ({ ran: `mint ${base.step.kind}` }),
    });
    registry.register({ 'check-mint': async () => ({ ran: 'check' }) });

    await expect(registry.run(stepOfKind('mint-account'))).resolves.toEqual({
      ran: 'mint mint-account',
    });
    await expect(registry.run(stepOfKind('check-mint'))).resolves.toEqual({
      ran: 'check',
    });
  });

  it('refuses a kind registered twice, and fails a step of a kind nobody registered for good', () => {
    const registry = new StepRegistry();
    registry.register({ 'mint-account': async () => ({}) });
    expect(() =>
      registry.register({ 'mint-account': async () => ({}) }),
    ).toThrow('step kind mint-account is registered twice');
    expect(() => registry.run(stepOfKind('close-account'))).toThrow(
      new TerminalError(
        'no handler for steps of kind close-account; known kinds: mint-account',
      ),
    );
  });
});
