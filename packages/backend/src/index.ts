import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: the guest provider signs in without an identity provider
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// and, in development, as a catalog user of auth.providers.devUsers (the approver)
backend.add(
  import('@regional-minting/plugin-auth-backend-module-dev-users-provider'),
);

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder, with the account-minting actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(
  import('@regional-minting/plugin-scaffolder-backend-module-account-minting'),
);

// permissions: account minting's policy (accountMinting.permissionPolicy); it allows every
// other plugin's permissions, as the allow-all policy it replaces did
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@regional-minting/plugin-permission-backend-module-account-minting'),
);

// events, user settings, notifications and signals
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// account minting
backend.add(import('@regional-minting/plugin-account-minting-backend'));
// the estate in the catalog: a System per region, a Resource per AWS account
backend.add(
  import('@regional-minting/plugin-catalog-backend-module-account-minting'),
);

backend.start();
