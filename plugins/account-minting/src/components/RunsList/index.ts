export { RunsList } from './RunsList';
