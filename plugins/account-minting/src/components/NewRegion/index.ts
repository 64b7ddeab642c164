export { NewRegionForm } from './NewRegionForm';
