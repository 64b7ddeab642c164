import { parseStepKey, stepKeys } from './stepKeys';

describe('step keys', () => {
  it('reads back what each constructor builds', () => {
    expect(parseStepKey(stepKeys.regionOu())).toEqual({ kind: 'region-ou' });
    expect(parseStepKey(stepKeys.policies())).toEqual({ kind: 'policies' });
    expect(parseStepKey(stepKeys.account('dev-kirk-us-east-2-rc'))).toEqual({
      kind: 'account',
      account: 'dev-kirk-us-east-2-rc',
    });
    expect(parseStepKey(stepKeys.bootstrap('prod-us-east-1-mc0'))).toEqual({
      kind: 'bootstrap',
      account: 'prod-us-east-1-mc0',
    });
    // A provisioning step's name may hold a colon; an account name never does.
    expect(
      parseStepKey(stepKeys.provision('prod-us-east-1-mc0', 'helm:argo')),
    ).toEqual({
      kind: 'provision',
      account: 'prod-us-east-1-mc0',
      step: 'helm:argo',
    });
    expect(parseStepKey(stepKeys.region('maestro'))).toEqual({
      kind: 'region',
      step: 'maestro',
    });
    expect(parseStepKey(stepKeys.check('staging-2'))).toEqual({
      kind: 'check',
      payer: 'staging-2',
    });
  });

  it('refuses what no constructor makes', () => {
    for (const key of ['', 'ou', 'account:', 'provision:acct', 'mint:x']) {
      expect(() => parseStepKey(key)).toThrow('is not a step key');
    }
  });
});
