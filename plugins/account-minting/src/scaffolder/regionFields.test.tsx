import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  createFieldValidation,
  Stepper,
} from '@backstage/plugin-scaffolder-react/alpha';
import type { TemplateParameterSchema } from '@backstage/plugin-scaffolder-react';
import { AccountMintingApi } from '@regional-minting/plugin-account-minting-common';
import { configFixture } from '@regional-minting/plugin-account-minting-common/testUtils';
import { accountMintingApiRef } from '../api';
import { regionFieldExtensions } from '.';

// Rendering the scaffolder's form in jsdom takes a while on a loaded machine: generous
// waits, so that it is slow, never failing.
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

/** The parameters of examples/templates/new-region.yaml that the pickers serve. */
const newRegionTemplate: TemplateParameterSchema = {
  title: 'New region',
  steps: [
    {
      title: 'The region',
      schema: {
        required: ['environment', 'region'],
        properties: {
          environment: {
            title: 'Environment',
            type: 'string',
            'ui:field': 'AccountMintingEnvironmentPicker',
          },
          region: {
            title: 'AWS region',
            type: 'string',
            'ui:field': 'AccountMintingRegionPicker',
          },
          owner: {
            title: 'Owner',
            type: 'string',
            'ui:field': 'AccountMintingOwnerPicker',
          },
        },
      },
    },
  ],
};

/** The parameters of examples/templates/personal-dev-region.yaml: dev is fixed. */
const personalDevTemplate: TemplateParameterSchema = {
  title: 'Personal dev region',
  steps: [
    {
      title: 'Your dev region',
      schema: {
        required: ['region'],
        properties: {
          region: {
            title: 'AWS region',
            type: 'string',
            'ui:field': 'AccountMintingRegionPicker',
            'ui:options': { environment: 'dev' },
          },
        },
      },
    },
  ],
};

function stubApi(overrides: Partial<AccountMintingApi> = {}) {
  return { getConfig: jest.fn(async () => configFixture()), ...overrides };
}

function renderForm(
  manifest: TemplateParameterSchema,
  api: ReturnType<typeof stubApi> = stubApi(),
  userEntityRef = 'user:default/kirk',
) {
  const onCreate = jest.fn(async () => {});
  renderInTestApp(
    <Stepper
      manifest={manifest}
      extensions={Object.values(regionFieldExtensions)}
      onCreate={onCreate}
    />,
    {
      apis: [[accountMintingApiRef, api], mockApis.identity({ userEntityRef })],
    },
  );
  return onCreate;
}

const field = (label: RegExp) => screen.getByLabelText(label);

/** The choices a select offers, read from its list, which is closed again. */
async function optionsOf(label: RegExp): Promise<string[]> {
  await userEvent.click(field(label));
  const listbox = await screen.findByRole('listbox');
  const options = within(listbox)
    .getAllByRole('option')
    .filter(option => option.getAttribute('aria-disabled') !== 'true')
    .map(option => option.textContent ?? '');
  await userEvent.keyboard('{Escape}');
  await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
  return options;
}

/** Chooses a select's option by its text. */
async function choose(label: RegExp, option: string | RegExp) {
  await userEvent.click(field(label));
  const listbox = await screen.findByRole('listbox');
  await userEvent.click(within(listbox).getByRole('option', { name: option }));
  await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
}

/** Waits for the configuration to load, when the environments can be chosen. */
async function environmentsOffered() {
  await waitFor(() =>
    expect(field(/^Environment/)).not.toHaveAttribute('aria-disabled'),
  );
}

const review = () =>
  userEvent.click(screen.getByRole('button', { name: 'Review' }));

describe('the region template fields', () => {
  it('offers the configured environments, with their payers', async () => {
    renderForm(newRegionTemplate);
    await environmentsOffered();

    expect(await optionsOf(/^Environment/)).toEqual([
      'prod (payer control)',
      'int (payer staging-1)',
      'stage (payer staging-1)',
      'dev (payer staging-2)',
    ]);
  });

  it("offers only the chosen environment's regions, and drops one it does not allow", async () => {
    renderForm(newRegionTemplate);
    await environmentsOffered();
    expect(field(/^AWS region/)).toHaveAttribute('aria-disabled', 'true');

    await choose(/^Environment/, /^prod/);
    expect(await optionsOf(/^AWS region/)).toEqual(['us-east-1', 'eu-west-2']);
    await choose(/^AWS region/, 'eu-west-2');
    expect(field(/^AWS region/)).toHaveTextContent('eu-west-2');

    await choose(/^Environment/, /^int/);
    expect(await optionsOf(/^AWS region/)).toEqual(['us-east-2']);
    expect(field(/^AWS region/)).toHaveTextContent('Choose a region');
  });

  it('fills in the signed-in user as the owner where region names carry one, and leaves it empty elsewhere', async () => {
    renderForm(newRegionTemplate);
    await environmentsOffered();

    await choose(/^Environment/, /^dev/);
    await waitFor(() => expect(field(/^Owner/)).toHaveValue('kirk'));

    await choose(/^Environment/, /^prod/);
    await waitFor(() => expect(field(/^Owner/)).toHaveValue(''));
    expect(field(/^Owner/)).toBeDisabled();
    expect(
      screen.getByText('prod region names carry no owner'),
    ).toBeInTheDocument();
  });

  it('names the owner field and its rule when the owner cannot be part of a region name', async () => {
    const onCreate = renderForm(newRegionTemplate);
    await environmentsOffered();
    await choose(/^Environment/, /^dev/);
    await choose(/^AWS region/, 'us-east-2');
    await waitFor(() => expect(field(/^Owner/)).toHaveValue('kirk'));
    await userEvent.clear(field(/^Owner/));
    await userEvent.type(field(/^Owner/), 'Kirk_T');

    await review();

    expect(
      await screen.findAllByText(
        'owner must be lower-case letters, digits and single hyphens (got "Kirk_T")',
      ),
    ).not.toHaveLength(0);
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('says what is wrong with a typed owner as it is typed, before the form is sent', async () => {
    renderForm(newRegionTemplate);
    await environmentsOffered();
    await choose(/^Environment/, /^dev/);
    await waitFor(() => expect(field(/^Owner/)).toHaveValue('kirk'));
    await userEvent.type(field(/^Owner/), '.t');

    expect(
      screen.getByText(
        'owner must be lower-case letters, digits and single hyphens (got "kirk.t")',
      ),
    ).toBeInTheDocument();
    await userEvent.type(field(/^Owner/), '{Backspace}{Backspace}-t');
    expect(
      screen.getByText('dev regions are personal: their names carry the owner'),
    ).toBeInTheDocument();
  });

  it('leaves the owner to be typed for a user whose name region names cannot carry', async () => {
    renderForm(newRegionTemplate, stubApi(), 'user:default/jane.doe');
    await environmentsOffered();
    await choose(/^Environment/, /^dev/);
    await choose(/^AWS region/, 'us-east-2');

    await review();

    expect(
      await screen.findAllByText(
        'owner is required in dev, whose region names carry their owner',
      ),
    ).not.toHaveLength(0);
    expect(field(/^Owner/)).toHaveValue('');
  });

  it('accepts an owner with hyphens, as the portal does', async () => {
    renderForm(newRegionTemplate);
    await environmentsOffered();
    await choose(/^Environment/, /^dev/);
    await choose(/^AWS region/, 'us-east-2');
    await waitFor(() => expect(field(/^Owner/)).toHaveValue('kirk'));
    await userEvent.clear(field(/^Owner/));
    await userEvent.type(field(/^Owner/), 'kirk-t');

    await review();

    expect(
      await screen.findByRole('button', { name: 'Create' }),
    ).toBeInTheDocument();
    expect(screen.getByText('kirk-t')).toBeInTheDocument();
  });

  it('requires the owner where region names carry one', async () => {
    renderForm(newRegionTemplate);
    await environmentsOffered();
    await choose(/^Environment/, /^dev/);
    await choose(/^AWS region/, 'eu-west-1');
    await waitFor(() => expect(field(/^Owner/)).toHaveValue('kirk'));
    await userEvent.clear(field(/^Owner/));

    await review();

    expect(
      await screen.findAllByText(
        'owner is required in dev, whose region names carry their owner',
      ),
    ).not.toHaveLength(0);
  });

  it('offers the regions of the environment a template fixes', async () => {
    renderForm(personalDevTemplate);

    expect(
      await screen.findByText('The AWS regions dev may use'),
    ).toBeInTheDocument();
    expect(await optionsOf(/^AWS region/)).toEqual([
      'us-east-1',
      'us-east-2',
      'eu-west-1',
      'eu-west-2',
    ]);
  });

  it('says why nothing is offered when the configuration cannot be loaded', async () => {
    renderForm(
      newRegionTemplate,
      stubApi({
        getConfig: jest.fn(async () => {
          throw new Error('the backend answered 503');
        }),
      }),
    );

    expect(
      await screen.findAllByText(
        'Could not load the account-minting configuration: the backend answered 503',
      ),
    ).toHaveLength(2);
    expect(field(/^Environment/)).toHaveAttribute('aria-disabled', 'true');
  });
});

describe('the validation of the region template fields', () => {
  /** The errors a field's validation finds in a form's values. */
  async function errorsOf(
    name: keyof typeof regionFieldExtensions,
    formData: Record<string, string>,
    api: ReturnType<typeof stubApi> = stubApi(),
  ) {
    const validation = createFieldValidation();
    await regionFieldExtensions[name].validation(formData[name], validation, {
      apiHolder: {
        get: (ref: { id: string }) =>
          ref.id === accountMintingApiRef.id ? api : undefined,
      } as any,
      formData,
      schema: {},
    });
    return validation.__errors;
  }

  it('names the region and the regions its environment allows', async () => {
    expect(
      await errorsOf('region', { environment: 'prod', region: 'us-east-2' }),
    ).toEqual([
      'region us-east-2 is not allowed in prod; allowed: us-east-1, eu-west-2',
    ]);
    expect(
      await errorsOf('region', { environment: 'prod', region: 'us-east-1' }),
    ).toEqual([]);
  });

  it('names the environments there are when it is unknown', async () => {
    expect(await errorsOf('environment', { environment: 'qa' })).toEqual([
      'unknown environment "qa"; one of prod, int, stage, dev',
    ]);
  });

  it('names an owner where the region names carry none', async () => {
    expect(
      await errorsOf('owner', {
        environment: 'prod',
        region: 'us-east-1',
        owner: 'kirk',
      }),
    ).toEqual([
      "owner the prod environment's region names have no owner; leave it empty",
    ]);
  });

  it('says why a field could not be checked when the configuration cannot be loaded', async () => {
    const api = stubApi({
      getConfig: jest.fn(async () => {
        throw new Error('the backend answered 503');
      }),
    });
    expect(await errorsOf('region', { region: 'us-east-1' }, api)).toEqual([
      'region cannot be checked: could not load the account-minting configuration (the backend answered 503)',
    ]);
  });
});
