export { RegionView } from './RegionView';
export { AdoptDialog } from './AdoptDialog';
export { DecommissionDialog } from './DecommissionDialog';
export { usePermissionToChange } from './usePermissionToChange';
