import { createApp } from '@backstage/frontend-defaults';
import { landingModule } from './modules/landing';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Plugins are discovered from this package's dependencies (app.packages: all).
export default createApp({
  features: [navModule, landingModule, signInModule],
});
