export { planWorkflow } from './plan-workflow';
export { hostLockWorkflow } from './host-locks';
