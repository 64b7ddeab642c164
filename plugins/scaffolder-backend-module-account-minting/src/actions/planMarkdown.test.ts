import { planMarkdown } from './planMarkdown';

describe('planMarkdown', () => {
  it('keeps a pipe or a line break of a reason inside its cell', () => {
    const markdown = planMarkdown({
      region: 'prod-us-east-1',
      plan: {
        region: 'prod-us-east-1',
        payer: 'control',
        changes: 1,
        actions: [
          {
            action: 'tag-account',
            target: 'prod-us-east-1-rc',
            reason: 'tags differ: team a|b\nand owner',
          } as any,
        ],
      },
    });

    expect(markdown.split('\n')).toEqual([
      'Plan of region **prod-us-east-1** in payer **control**: 1 change, nothing done.',
      '',
      '| # | Action | Target | Reason |',
      '| --- | --- | --- | --- |',
      '| 1 | tag-account | prod-us-east-1-rc | tags differ: team a\\|b and owner |',
    ]);
  });

  it('says there is nothing to do instead of an empty table', () => {
    expect(
      planMarkdown({
        region: 'int-us-east-2',
        plan: {
          region: 'int-us-east-2',
          payer: 'staging-1',
          changes: 0,
          actions: [],
        },
      }),
    ).toBe(
      'Plan of region **int-us-east-2** in payer **staging-1**: 0 changes, nothing done.\n\nNothing to do: the region is as desired.',
    );
  });
});
