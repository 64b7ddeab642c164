import { Link } from '@backstage/core-components';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';

const entityRoute = convertLegacyRouteRef(entityRouteRef);

/**
 * The catalog's page of the Resource the catalog module publishes for an account
 * (named as the account, in the default namespace); its ref alone in an app
 * without the catalog.
 */
export function CatalogLink(props: { account: string }) {
  const entityLink = useRouteRef(entityRoute);
  const ref = { kind: 'resource', namespace: 'default', name: props.account };
  const text = `resource:${props.account}`;
  if (!entityLink) return <>{text}</>;
  return (
    <Link to={entityLink(entityRouteParams(ref, { encodeParams: true }))}>
      {text}
    </Link>
  );
}
