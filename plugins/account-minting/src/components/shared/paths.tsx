import { createContext, ReactNode, useContext } from 'react';

/** The links between the views of the page, below wherever the app mounts it. */
export interface MintingPaths {
  estate: string;
  runs: string;
  drift: string;
  newRegion: string;
  approvals: string;
  run(id: string): string;
  change(id: string): string;
  account(name: string): string;
  region(name: string): string;
}

function pathsBelow(base: string): MintingPaths {
  const root = base.replace(/\/$/, '');
  return {
    estate: root || '/',
    runs: `${root}/runs`,
    drift: `${root}/drift`,
    newRegion: `${root}/new`,
    approvals: `${root}/approvals`,
    run: id => `${root}/runs/${encodeURIComponent(id)}`,
    change: id => `${root}/approvals/${encodeURIComponent(id)}`,
    account: name => `${root}/accounts/${encodeURIComponent(name)}`,
    region: name => `${root}/regions/${encodeURIComponent(name)}`,
  };
}

const MintingPathsContext = createContext<MintingPaths>(
  pathsBelow('/account-minting'),
);

/** Gives the views below it the paths of the page mounted at `base`. */
export function MintingPathsProvider(props: {
  base: string;
  children: ReactNode;
}) {
  return (
    <MintingPathsContext.Provider value={pathsBelow(props.base)}>
      {props.children}
    </MintingPathsContext.Provider>
  );
}

export function useMintingPaths(): MintingPaths {
  return useContext(MintingPathsContext);
}
