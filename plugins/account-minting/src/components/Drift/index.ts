export { DriftView } from './DriftView';
