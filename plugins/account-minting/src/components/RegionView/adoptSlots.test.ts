import { testRegion } from '../../__testUtils__/testRegion';
import { adoptRequestOf, adoptSlotsOf, firstFreeSlot } from './adoptSlots';

const REGION = 'dev-kirk-us-east-2';

describe('adoptSlots', () => {
  const slots = adoptSlotsOf(
    testRegion(),
    new Map([[`${REGION}-mc0`, '400000000102']]),
  );

  it('gives each slot the account it holds, and finds the first that holds none', () => {
    expect(slots.map(s => [s.role, s.index, s.taken])).toEqual([
      ['management-cluster', 0, '400000000102'],
      ['management-cluster', 1, undefined],
      ['regional-cluster', 0, undefined],
    ]);
    expect(firstFreeSlot(slots)?.name).toBe(`${REGION}-mc1`);
  });

  it("sends each role's ids from index 0, the slots before a typed one keeping their account", () => {
    expect(
      adoptRequestOf(
        slots,
        { 'accounts.management-cluster[1]': '111111111111' },
        false,
      ),
    ).toEqual({
      body: {
        accounts: { 'management-cluster': ['400000000102', '111111111111'] },
      },
    });
  });

  it('refuses an id typed after an empty slot, an invalid id, and no id at all', () => {
    const typedAfterGap = adoptSlotsOf(testRegion(), new Map());
    expect(
      adoptRequestOf(
        typedAfterGap,
        {
          'accounts.management-cluster[1]': '111111111111',
          'accounts.regional-cluster[0]': '12',
        },
        false,
      ).problems,
    ).toEqual({
      'accounts.management-cluster[0]':
        'Type an id here too: ids fill slots in order, from the first',
      'accounts.regional-cluster[0]': 'An account id has 12 digits, not 2',
    });
    expect(adoptRequestOf(slots, {}, false).problems).toEqual({
      '': 'Type the id of an account to adopt, or match accounts by name or email',
    });
  });
});
