export { EstateTree } from './EstateTree';
