export { ApprovalsList } from './ApprovalsList';
export { ChangePage } from './ChangePage';
