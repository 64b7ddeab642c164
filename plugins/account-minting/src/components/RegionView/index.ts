export { RegionView } from './RegionView';
export { AdoptDialog } from './AdoptDialog';
export { DecommissionDialog } from './DecommissionDialog';
export { useRegionPermissions } from './useRegionPermissions';
